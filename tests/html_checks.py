"""Checks on HTML as a browser will parse it, for what Django's test client never notices."""

from html.parser import HTMLParser


class _FormNesting(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open_forms: list[str] = []
        self.nested: list[str] = []

    @staticmethod
    def _describe(attrs) -> str:
        attributes = dict(attrs)
        return attributes.get("id") or attributes.get("action") or "<form>"

    def handle_starttag(self, tag, attrs):
        if tag == "form":
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
