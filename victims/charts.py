"""Charts as HTML drawn on the server: readable with JavaScript off, no CDN, accessible, and
legible on a phone.

Each chart is a list with one item per row of its table: the row's label and its published
total are HTML text (so they keep the page's font size at any screen width: on a phone the
label stands above its bar), and the bar is a small SVG whose segments are sized in per cent
of its width (SVG attributes, not inline styles: the Content-Security-Policy allows no
inline style). The bars are hidden from screen readers; the label and figure are read, and
the page shows the same table beside each chart.

Only published figures are drawn (disclosure.py): hidden figures are a hatched segment up to
the row's published total, or a stub of one fixed width when the total is hidden too, and
the legend explains the hatching wherever it appears.

Colours: the Okabe-Ito palette, safe for colour-blind readers, with one meaning each on the
page (killed, injured, casualties of a one-column chart); age groups, which are ordered, are
shades of one hue from light (youngest) to dark; "Unknown" is grey everywhere.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from victims.disclosure import Table

UNKNOWN_COLOUR = "#8c8c8c"
COLOURS = {
    "outcome": {"killed": "#0072B2", "injured": "#E69F00"},
    "age_group": {
        "0-4": "#fcc5c0",
        "5-11": "#fa9fb5",
        "12-17": "#f768a1",
        "18-29": "#dd3497",
        "30-44": "#ae017e",
        "45-59": "#7a0177",
        "60+": "#49006a",
    },
    None: {"all": "#009E73"},  # a one-column chart: casualties
}
# The share of the bar's width a row with only a hidden total gets.
STUB = 4.0


def colour(dimension: str | None, value: str) -> str:
    return COLOURS.get(dimension, {}).get(value, UNKNOWN_COLOUR)


def bar_chart(table: Table, chart_id: str) -> SafeString:
    """Horizontal stacked bars: one bar per row, one segment per column, and a legend."""
    largest = max((_longest(table, row) for row, _label in table.rows), default=0) or 1
    hatch = f"{chart_id}-hatch"
    hidden_any = False
    items = []
    for row, label in table.rows:
        segments, hidden = _segments(table, row, largest, hatch)
        hidden_any = hidden_any or hidden
        total = table.row_totals[row]
        items.append(
            '<li class="bars__row">'
            f'<span class="bars__label">{escape(capfirst(str(label)))}</span>'
            '<span class="bars__track">'
            '<svg class="bars__bar" aria-hidden="true" focusable="false">'
            f"{''.join(segments)}</svg>"
            f'<span class="bars__value">{escape(total.display())}</span>'
            "</span></li>"
        )
    parts = [
        f'<div class="bars" id="{chart_id}-chart">',
        '<svg class="bars__defs" aria-hidden="true" focusable="false" width="0" height="0">'
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#555" stroke-width="2"/></pattern></defs>'
        "</svg>",
        _legend(table, hatch, hidden_any),
        f'<ul class="bars__rows" aria-label="{escape(str(table.title))}">{"".join(items)}</ul>',
        "</div>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped


def _longest(table: Table, row: str) -> int:
    """A row's bar length in figures: its published total, or the sum of its published cells
    when that is more (each figure is perturbed on its own)."""
    shown = sum(table.cells[(row, column)].value or 0 for column, _label in table.columns)
    return max(shown, table.row_totals[row].value or 0)


def _segments(table: Table, row: str, largest: int, hatch: str) -> tuple[list[str], bool]:
    """The bar of one row, as SVG rectangles in per cent of its width; and whether it has a
    hatched part (hidden figures)."""
    parts = []
    x = 0.0
    for column, column_label in table.columns:
        cell = table.cells[(row, column)]
        if cell.hidden or not cell.value:
            continue
        width = 100 * cell.value / largest
        parts.append(
            f'<rect class="bars__segment" x="{x:.2f}%" width="{width:.2f}%" height="100%" '
            f'fill="{colour(table.column_dimension, column)}">'
            f"<title>{escape(capfirst(str(column_label)))}: {cell.value}</title></rect>"
        )
        x += width
    total = table.row_totals[row]
    hidden = any(table.cells[(row, c)].hidden for c, _l in table.columns) or total.hidden
    if hidden:
        # Hidden figures: a hatched part up to the published total (a figure published
        # anyway), or a stub of one width when the total is hidden too.
        shown = sum(table.cells[(row, c)].value or 0 for c, _l in table.columns)
        rest = 0 if total.value is None else max(0, total.value - shown)
        width = min(max(STUB, 100 * rest / largest), max(STUB, 100 - x))
        parts.append(
            f'<rect class="bars__hidden" x="{x:.2f}%" width="{width:.2f}%" height="100%" '
            f'fill="url(#{hatch})" stroke="#555"/>'
        )
    return parts, hidden


def _legend(table: Table, hatch: str, hidden: bool) -> str:
    """What the colours mean (when there is more than one), and the hatching (whenever a bar
    of the chart has it)."""
    entries = []
    if len(table.columns) > 1:
        entries = [
            (f'fill="{colour(table.column_dimension, column)}"', capfirst(str(label)))
            for column, label in table.columns
        ]
    if hidden:
        entries.append(
            (f'fill="url(#{hatch})" stroke="#555"', _("Hidden to protect the people counted"))
        )
    if not entries:
        return ""
    items = "".join(
        '<li class="legend__item"><svg class="legend__swatch" aria-hidden="true" '
        f'focusable="false" width="16" height="16"><rect x="0.5" y="0.5" width="15" '
        f'height="15" {paint}/></svg><span>{escape(str(text))}</span></li>'
        for paint, text in entries
    )
    name = _("Legend")
    return f'<ul class="legend" aria-label="{escape(name)}">{items}</ul>'
