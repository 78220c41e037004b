"""Journey 11: a reader with the keyboard only, then on a 360 px phone.

Home, the list of statements, a filter, a statement, its Azerbaijani version, the casualty
figures: reached with Tab and Enter alone. On every page the skip link comes first, every
control can be reached, and every focused control shows where the focus is. At 360 px no
page is wider than the screen.
"""

import pytest

from statements import actions
from tests.factories import (
    CasualtyFactory,
    EditionFactory,
    IncidentFactory,
    OrganisationFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONTROLS = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1'])"
)

# Marks every visible control of the page with its number; returns how many there are.
MARK_CONTROLS = """(selector) => {
  const visible = (e) => e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== 'hidden'
    && !e.closest('details:not([open]) > :not(summary)') && !e.disabled;
  const controls = [...document.querySelectorAll(selector)].filter(visible);
  controls.forEach((control, index) => { control.dataset.control = index; });
  return controls.map((c) => (c.innerText || c.getAttribute('aria-label') || c.tagName).trim());
}"""

# Which control has the focus, and whether the focus can be seen on it.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return null; }
  const style = getComputedStyle(e);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {control: e.dataset.control === undefined ? null : Number(e.dataset.control),
          text: (e.innerText || e.name || e.tagName).trim().slice(0, 60),
          href: e.getAttribute('href') || '', visible: outline || style.boxShadow !== 'none'};
}"""


def tab_through_every_control(page) -> None:
    """From the top of a freshly loaded page, Tab once round: the skip link comes first, every
    visible control is reached, and each shows its focus."""
    names = page.evaluate(MARK_CONTROLS, CONTROLS)
    reached: list[int] = []
    for presses in range(len(names) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:  # past the last control
            break
        if presses == 0:
            assert focused["href"] == "#main", f"the skip link is not first: {focused}"
        assert focused["visible"], f"no visible focus on {focused['text']!r} of {page.url}"
        if focused["control"] in reached:
            break
        reached.append(focused["control"])
    missed = [name for index, name in enumerate(names) if index not in reached]
    assert not missed, f"not reachable with Tab on {page.url}: {missed}"


def tab_to_and_enter(person, href: str) -> None:
    """Tab until the link to `href` has the focus; press Enter."""
    page = person.page
    for _press in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["href"] == href:
            person.press("Enter", navigates=True)
            return
    raise AssertionError(f"no link to {href} reachable with Tab on {page.url}")


def tab_to_control(page, name: str) -> None:
    for _press in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == name:
            return
    raise AssertionError(f"no control named {name} reachable with Tab on {page.url}")


@pytest.fixture
def published_content(editor, publisher, publish):
    OrganisationFactory(  # the site's identity: a short name on the phone, a press contact
        is_default=True,
        short_name_en="MFA",
        press_email="press@example.org",
        press_phone="+994 12 000 00 00",
        address_en="1 Example Street\nBaku",
        office_hours_en="Monday to Friday, 09:00-18:00",
    )
    english = publish(
        EditionFactory(
            title="Statement on mine awareness day",
            summary="Figures from the register, on 4 April.",
            body="<p>Since the end of the conflict, 350 people became victims.</p>",
        )
    )
    azerbaijani = actions.create_translation(english, by=editor, language="az")
    azerbaijani.title = "Mina təhlükəsi günü ilə bağlı bəyanat"
    azerbaijani.body = "<p>Münaqişə başa çatandan bəri 350 nəfər mina qurbanı olub.</p>"
    azerbaijani.save()
    publish(azerbaijani)
    publish(
        EditionFactory(
            title="Press release on clearance in Aghdam", kind="press_release", slug="clearance"
        )
    )
    for outcome in ("killed", "injured", "injured"):
        CasualtyFactory(incident=IncidentFactory(), outcome=outcome)
    return english, azerbaijani


def test_reader_moves_through_the_site_with_the_keyboard_alone(people, published_content):
    english, azerbaijani = published_content
    reader = people("keyboard reader")
    page = reader.page

    reader.goto("/en/")
    tab_through_every_control(page)
    reader.goto("/en/")  # fresh: the skip link first, and it moves the focus to the content
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to_and_enter(reader, "/en/statements/")
    tab_through_every_control(page)
    tab_to_control(page, "kind")
    page.keyboard.type("Statement")  # a select chooses the option typed
    tab_to_control(page, "")  # the Filter button
    reader.press("Enter", navigates=True)
    assert "kind=statement" in page.url
    titles = page.locator(".card__title").all_inner_texts()
    assert titles == ["Statement on mine awareness day"]

    tab_to_and_enter(reader, english.get_absolute_url())
    assert page.locator("h1").inner_text() == "Statement on mine awareness day"
    tab_through_every_control(page)

    tab_to_and_enter(reader, azerbaijani.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "az"
    assert page.locator("h1").inner_text() == "Mina təhlükəsi günü ilə bağlı bəyanat"

    tab_to_and_enter(reader, "/az/casualties/")
    assert page.locator(".figures dd").first.inner_text() == "3"
    tab_through_every_control(page)


def test_no_page_is_wider_than_a_360_px_phone(people, published_content):
    english, azerbaijani = published_content
    phone = people("phone reader", width=360, height=740)
    for path in (
        "/en/",
        "/en/statements/",
        "/en/statements/?kind=statement",
        english.get_absolute_url(),
        azerbaijani.get_absolute_url(),
        "/az/casualties/",
        "/en/casualties/",
        "/ru/",
        "/ru/statements/",
        "/ru/casualties/",
    ):
        phone.goto(path)
        widths = phone.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide on a 360 px screen"
        # The skip link waits out of sight until it has the focus, however long its words.
        skip = phone.page.locator(".skip-link").bounding_box()
        assert skip["y"] + skip["height"] <= 0, f"the skip link shows on {path}: {skip}"
