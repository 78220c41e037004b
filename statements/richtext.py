"""The statement body's rich text: the editor's configuration and the server-side sanitiser.

`sanitize_html` is the one allowlist. The body field calls it on every save (admin, commands,
code), so nothing outside the allowlist is ever stored, whatever the browser sent.
"""

import base64
import hashlib
import re
from html import unescape

import nh3
from django.http.response import HttpResponseBase
from django.utils.html import strip_tags

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li", "blockquote", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# The editor offers exactly what the sanitiser keeps (django-prose-editor extensions).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}


def _drop_empty_titles(tag: str, attribute: str, value: str) -> str | None:
    """The editor's link dialog sends `title=""` when no title is typed: keep no such thing."""
    return None if attribute == "title" and not value.strip() else value


_cleaner = nh3.Cleaner(
    attribute_filter=_drop_empty_titles,
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener",
    strip_comments=True,
    clean_content_tags={"script", "style"},
)
_EMPTY = re.compile(r"^(<p>(\s|<br>)*</p>\s*)*$")


def sanitize_html(html: str | None) -> str:
    """Keep only the allowed tags, attributes and URL schemes; links get rel="noopener".

    Script and style elements go with their content; event handlers, `javascript:` URLs,
    iframes and everything else not listed above are removed. A body holding only empty
    paragraphs becomes the empty string.
    """
    cleaned = _cleaner.clean(html or "").strip()
    return "" if _EMPTY.match(cleaned) else cleaned


def html_to_text(html: str) -> str:
    """The body's readable text: block ends become newlines, whitespace is normalised."""
    spaced = re.sub(r"(?i)<br\s*/?>|</(p|h[2-4]|li|blockquote)>", "\n", html or "")
    text = unescape(strip_tags(spaced))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# The editor (tiptap) injects one <style> element with its base rules; its hash is fixed for
# the pinned django-prose-editor release. The browser test fails if an upgrade changes it.
EDITOR_STYLE_CSP_SOURCE = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def editor_importmap_csp_source() -> str:
    """The CSP source allowing the editor's inline import map, and nothing else.

    django-prose-editor loads its modules through an inline `<script type="importmap">`. The
    site's policy allows no inline script, so pages with the editor add this one script's
    hash. It is computed from the rendered map, whose URLs change with hashed static names.
    """
    from django_prose_editor.widgets import importmap

    html = str(importmap.render())
    content = html[html.index(">") + 1 : html.rindex("</script>")]
    digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def allow_the_editor(response: HttpResponseBase) -> HttpResponseBase:
    """Pages showing the rich-text editor allow its import map and style, nothing else."""
    response._csp_update = {  # type: ignore[attr-defined]  # read by django-csp
        "script-src": [editor_importmap_csp_source()],
        "style-src": [EDITOR_STYLE_CSP_SOURCE],
    }
    return response
