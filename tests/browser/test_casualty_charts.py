"""The casualty page on a 360 px phone, in every language: every chart label and figure is
at least 12 px high, nothing is wider than the screen, legends are whole (and explain the
hatching wherever a chart has it), and no id is used twice. The helpers judge each page too
(axe, console, Content-Security-Policy)."""

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What the reader can see of each chart: its text, its legends, its ids.
MEASURE = """() => {
  const width = window.innerWidth;
  const texts = [...document.querySelectorAll(
    '.bars__label, .bars__value, .legend__item > span')];
  const small = texts
    .map((e) => ({text: e.innerText, size: parseFloat(getComputedStyle(e).fontSize),
                  height: e.getBoundingClientRect().height}))
    .filter((t) => t.size < 12 || t.height < 12);
  const outside = texts
    .map((e) => ({text: e.innerText, box: e.getBoundingClientRect()}))
    .filter((t) => t.box.left < 0 || t.box.right > width + 0.5)
    .map((t) => t.text);
  const clipped = [...document.querySelectorAll('.legend__item, .legend__item > span')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
    .map((e) => e.innerText);
  const charts = [...document.querySelectorAll('.bars')].map((chart) => ({
    id: chart.id,
    hatched: chart.querySelectorAll('.bars__rows rect[fill^="url(#"]').length,
    legendHatch: chart.querySelectorAll('.legend rect[fill^="url(#"]').length,
    rows: chart.querySelectorAll('.bars__row').length,
  }));
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  return {small, outside, clipped, charts, repeated, labels: texts.length,
          scroll: document.documentElement.scrollWidth, width};
}"""


@pytest.fixture
def register():
    call_command("load_areas", "AZ", verbosity=0)
    call_command("generate_casualties", count=400, seed=3, verbosity=0)


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_the_charts_read_on_a_360_px_phone(people, register, language):
    phone = people("phone reader", width=360, height=740)
    page = phone.goto(f"/{language}/casualties/")

    seen = page.evaluate(MEASURE)

    assert len(seen["charts"]) == 6 and seen["labels"] > 60
    assert seen["small"] == [], f"text under 12 px on /{language}/: {seen['small'][:5]}"
    assert seen["scroll"] <= seen["width"], f"/{language}/ is {seen['scroll']} px wide"
    assert seen["outside"] == [], f"text off the screen: {seen['outside'][:5]}"
    assert seen["clipped"] == [], f"legend items cut: {seen['clipped']}"
    assert seen["repeated"] == [], f"ids used twice: {seen['repeated']}"
    hatched = [chart for chart in seen["charts"] if chart["hatched"]]
    assert hatched, "the demo register has hidden figures"
    for chart in hatched:
        assert chart["legendHatch"] == 1, f"{chart['id']} hatches without saying why"
    # On a phone the label stands above its bar: the bar starts below the label.
    label = page.locator(".bars__label").first.bounding_box()
    bar = page.locator(".bars__bar").first.bounding_box()
    assert bar["y"] >= label["y"] + label["height"] - 1
    assert bar["width"] > 200  # the bar has the width of the screen, not a third of it
