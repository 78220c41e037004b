"""Export of incidents, streamed: CSV row by row, XLSX through openpyxl's write-only mode, so
100,000 rows never sit in memory at once. Internal fields (source reference, internal note)
only for users with the dedicated permission. Written here rather than with
django-import-export, which builds the whole dataset in memory before writing it."""

import io
from collections.abc import Iterator

from config import csvfiles
from config.csvfiles import neutralise
from victims.models import COUNT_COLUMNS, IncidentQuerySet

# Column name -> field of the incident queryset (with its breakdown annotations).
FIELDS = {
    "reference": "reference",
    "occurred_on": "occurred_on",
    "date_precision": "date_precision",
    "area_code": "area__code",
    "area_name": "area__name",
    "place_type": "place_type",
    "outside_contact_line": "outside_contact_line",
    "inside_mapped_area": "inside_mapped_area",
    "device_category": "device_category",
    "device_model": "device_model__name",
    "production_year": "production_year",
    "activity": "activity",
    "source_type": "source_type",
    "verification": "verification",
    **{column: column for column in COUNT_COLUMNS},
    "children": "children",
    "updated_at": "updated_at",
}
PUBLIC_COLUMNS = list(FIELDS)
INTERNAL_COLUMNS = ["source_reference", "internal_note"]


def export_rows(incidents: IncidentQuerySet, *, internal: bool) -> Iterator[list]:
    """The header, then one row per incident with its casualty counts (one query, streamed)."""
    columns = PUBLIC_COLUMNS + (INTERNAL_COLUMNS if internal else [])
    yield columns

    rows = (
        incidents.order_by("occurred_on", "pk")
        .with_breakdown()
        .values_list(*(FIELDS.get(column, column) for column in columns))
    )
    for row in rows.iterator(chunk_size=2000):
        yield ["" if value is None else value for value in row]


class _Echo:
    def write(self, value):
        return value


def csv_stream(rows: Iterator[list]) -> Iterator[str]:
    writer = csvfiles.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(rows: Iterator[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("incidents")
    for row in rows:
        sheet.append(
            [
                neutralise(
                    value.replace(tzinfo=None)
                    if hasattr(value, "tzinfo") and value.tzinfo
                    else value
                )
                for value in row
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
