"""Checks on HTML as a browser will parse it, for what Django's test client never notices."""

from html.parser import HTMLParser
from itertools import pairwise


class _FormNesting(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open_forms: list[str] = []
        self.nested: list[str] = []
        self.form_ids: set[str] = set()
        self.owners: list[tuple[str, str]] = []  # (form="…", what the control is)

    @staticmethod
    def _describe(attrs) -> str:
        attributes = dict(attrs)
        return attributes.get("id") or attributes.get("action") or "<form>"

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("button", "input", "select", "textarea") and attributes.get("form"):
            what = attributes.get("value") or attributes.get("name") or tag
            self.owners.append((attributes["form"], f"{tag} {what!r}"))
        if tag == "form":
            if attributes.get("id"):
                self.form_ids.add(attributes["id"])
            if self.open_forms:
                self.nested.append(f"{self._describe(attrs)} inside {self.open_forms[-1]}")
            self.open_forms.append(self._describe(attrs))

    def handle_endtag(self, tag):
        if tag == "form" and self.open_forms:
            self.open_forms.pop()


def nested_forms(html: str) -> list[str]:
    """Every `<form>` that starts inside another one. Browsers ignore such a tag, and its
    `</form>` closes the outer form: the outer form's remaining fields and buttons then
    belong to no form, and pressing Save sends nothing."""
    parser = _FormNesting()
    parser.feed(html)
    parser.close()
    return parser.nested


def form_problems(html: str) -> list[str]:
    """What makes a form send nothing when its button is pressed: a `<form>` inside another
    (see `nested_forms`), or a control whose `form="…"` names a form that is not on the page
    (the browser ignores the click: no request at all)."""
    parser = _FormNesting()
    parser.feed(html)
    parser.close()
    dangling = [
        f"{what} names form {form!r}, which is not on the page"
        for form, what in parser.owners
        if form not in parser.form_ids
    ]
    return parser.nested + dangling


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def heading_levels(html: str) -> list[int]:
    """The levels of the page's headings (`<h1>`…`<h6>`), in document order."""
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return parser.levels


def skipped_heading_levels(html: str) -> list[str]:
    """Where a heading goes more than one level deeper than the one before it (axe's
    heading-order: e.g. an `<h3>` after the `<h1>`), and a page not starting at `<h1>`."""
    levels = heading_levels(html)
    problems = []
    if levels and levels[0] != 1:
        problems.append(f"the first heading is h{levels[0]}")
    problems += [
        f"h{before} then h{after} (heading {index + 2})"
        for index, (before, after) in enumerate(pairwise(levels))
        if after > before + 1
    ]
    return problems
