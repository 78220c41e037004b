"""Steps the journeys share: what an editor or publisher does with the mouse and keyboard.

Each step clicks and types as a person does; none posts a form by hand or writes to the
database. Accounts and the starting state of a journey are set up with factories before the
first step; results are checked in the database after the last.
"""

import io
from pathlib import Path

from PIL import Image

STATEMENTS = "/admin/statements/edition/"


def edition_url(edition) -> str:
    return f"{STATEMENTS}{edition.pk}/change/"


def editor_box(page):
    """The rich-text editor of the statement's body (the one on screen)."""
    return page.locator(".ProseMirror >> visible=true").first


# Whether the caret is in the editor with no text after it.
CARET_AT_END = """(box) => {
  const selection = window.getSelection();
  if (!selection.rangeCount || !box.contains(selection.focusNode)) { return false; }
  const rest = document.createRange();
  rest.setStart(selection.focusNode, selection.focusOffset);
  rest.setEnd(box, box.childNodes.length);
  return rest.toString() === "";
}"""


SETTLED = """() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))"""


def settle(page) -> None:
    """Let the page handle the events of what was just done (the editor reads a new selection
    from the browser a moment later), as a person's pace always does."""
    page.evaluate(SETTLED)


def type_paragraphs(page, *paragraphs: str) -> None:
    """Type at the end of the body, as a person does: click after the last line's text (the
    caret goes to its end), then each paragraph after Enter."""
    page.locator(".prose-menubar >> visible=true").first.wait_for()  # the editor is ready
    box = editor_box(page)
    blocks = box.locator(":scope > *")
    if blocks.count() and box.inner_text().strip():
        for _attempt in range(5):
            last = blocks.last.bounding_box()
            blocks.last.click(position={"x": last["width"] - 2, "y": last["height"] - 4})
            page.keyboard.press("End")
            if box.evaluate(CARET_AT_END):
                # The editor learns where the caret is from the browser's "selectionchange"
                # event, a moment after the click: let it arrive before typing, as it does
                # for a person.
                settle(page)
                break
            page.wait_for_timeout(200)  # the page was still moving: look again
        else:
            raise AssertionError("could not put the caret at the end of the text")
        for paragraph in paragraphs:
            page.keyboard.press("Enter")
            page.keyboard.type(paragraph)
        return
    box.click()
    for index, paragraph in enumerate(paragraphs):
        if index:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)


def workflow_button(page, label: str):
    """A button (or link) of the workflow panel, by its words."""
    return (
        page.locator("#content-related")
        .get_by_role("button", name=label)
        .or_(page.locator("#content-related").get_by_role("link", name=label))
    )


def confirm(person, *, fill: dict | None = None, check: tuple = ()) -> None:
    """On an action's confirmation page: fill the fields, tick the boxes, press the button."""
    page = person.page
    for label, value in (fill or {}).items():
        page.get_by_label(label).fill(value)
    for label in check:
        page.get_by_label(label).check()
    person.click(page.locator(".submit-row input[type=submit]"))


def message(page) -> str:
    return page.locator("ul.messagelist").inner_text()


def write_file(folder: Path, name: str, content: bytes) -> str:
    path = folder / name
    path.write_bytes(content)
    return str(path)


def photo(folder: Path) -> str:
    output = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 90, 120)).save(output, "JPEG")
    return write_file(folder, "deminers.jpg", output.getvalue())


def pdf_file(folder: Path) -> str:
    content = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return write_file(folder, "annex.pdf", content)
