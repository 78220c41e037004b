"""Charts as SVG drawn on the server: readable with JavaScript off, no CDN, accessible.

Each chart has a <title> and a <desc> (referenced by aria-labelledby), its bars carry their
figures as text, and the page shows the same table beside it. Only published figures are
drawn (disclosure.py): hidden figures are a hatched bar up to the row's published total, or
a stub of one fixed width when the total is hidden too, labelled "hidden".
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from victims.disclosure import Table

WIDTH = 720
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 280
PALETTE = ["#0b3d62", "#c0392b", "#7f8c8d", "#2e7d32", "#8e44ad", "#d35400", "#16a085", "#555"]


def bar_chart(table: Table, chart_id: str) -> SafeString:
    """Horizontal stacked bars: one bar per row, one segment per column."""
    rows = table.rows
    largest = max((table.row_totals[row].value or 0 for row, _label in rows), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - 60
    height = len(rows) * (BAR_HEIGHT + GAP) + 40
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" width="100%">',
        f'<title id="{title_id}">{escape(str(table.title))}</title>',
        f'<desc id="{desc_id}">{escape(describe(table))}</desc>',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#666" stroke-width="2"/></pattern></defs>',
    ]
    for index, (row, label) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP) + 10
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" '
            f'class="chart__label">{escape(capfirst(str(label)))}</text>'
        )
        x: float = LABEL_WIDTH
        for column_index, (column, column_label) in enumerate(table.columns):
            cell = table.cells[(row, column)]
            if cell.hidden or not cell.value:
                continue
            width = plot * cell.value / largest
            colour = PALETTE[column_index % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{colour}"><title>{escape(str(column_label))}: {cell.value}</title></rect>'
            )
            x += width
        total = table.row_totals[row]
        if any(table.cells[(row, c)].hidden for c, _l in table.columns) or total.hidden:
            # Hidden figures: a hatched bar up to the published total (a figure published
            # anyway), or a stub of one width when the total is hidden too.
            shown = sum(table.cells[(row, c)].value or 0 for c, _l in table.columns)
            rest = 0 if total.value is None else max(0, total.value - shown)
            width = max(14, plot * rest / largest)
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="url(#hatch)" stroke="#666"/>'
            )
            x += width
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" class="chart__value">'
            f"{escape(total.display())}</text>"
        )
    legend_y = height - 12
    x = LABEL_WIDTH
    if len(table.columns) > 1:
        for column_index, (_column, column_label) in enumerate(table.columns):
            colour = PALETTE[column_index % len(PALETTE)]
            parts.append(
                f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>'
                f'<text x="{x + 16}" y="{legend_y}" class="chart__legend">'
                f"{escape(str(column_label))}</text>"
            )
            x += 24 + 8 * len(str(column_label))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped


def describe(table: Table) -> str:
    """A one-sentence summary for screen readers."""
    shown = [f"{label}: {table.row_totals[row].display()}" for row, label in table.rows]
    return f"{table.title}. " + "; ".join(shown) + "."
