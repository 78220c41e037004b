"""The SHA-256 digest that lets anyone check a statement's text is the one published.

The canonical text of a published edition is, in UTF-8 with Unicode NFC normalisation:

    line 1: the title
    line 2: the date of issue, as YYYY-MM-DD
    line 3: empty
    then:   the body's text, one line per paragraph, heading or list item

Inside each line, runs of white space become one space and the ends are trimmed; lines end
with a single line feed (LF), the last one included; markup is dropped, HTML entities are
decoded. Nothing else (summary, topics, images, dates of publication) is part of it, so the
digest changes exactly when the published text does.

To check: download the canonical text from the statement's page and run `sha256sum` on it,
or build it by these rules from the text you have.
"""

import hashlib
import unicodedata

from statements.richtext import html_to_text


def canonical_text(title: str, issued_on, body_html: str) -> str:
    def clean(line: str) -> str:
        return " ".join(unicodedata.normalize("NFC", line).split())

    lines = [clean(title), issued_on.isoformat(), ""]
    lines += [clean(line) for line in html_to_text(body_html).splitlines() if clean(line)]
    return "\n".join(lines) + "\n"


def statement_digest(statement) -> str:
    """The hex SHA-256 of an edition's canonical text."""
    text = canonical_text(statement.title, statement.issued_on, statement.rendered_body)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
