"""The import file: its columns, and its rows read from CSV or XLSX as text.

`read_rows` gives every row as a dict of cell texts keyed by lower-case header, `column_help`
describes the columns for the import page. Nothing is checked here but that the file can be
read and is not empty (checks.py checks the rest).
"""

import csv
import datetime
import io

from django.utils.translation import gettext as _

from victims import choices

INCIDENT_COLUMNS = {
    "place_type": choices.PlaceType,
    "outside_contact_line": choices.YesNoUnknown,
    "inside_mapped_area": choices.YesNoUnknown,
    "device_category": choices.DeviceCategory,
    "activity": choices.Activity,
    "source_type": choices.SourceType,
    "verification": choices.Verification,
}
CASUALTY_COLUMNS = {
    "outcome": choices.Outcome,
    "status": choices.Status,
    "sex": choices.Sex,
    "age_group": choices.AgeGroup,
    "injury": choices.Injury,
    "displacement": choices.Displacement,
}
DEFAULTS = {
    "place_type": "unknown",
    "outside_contact_line": "unknown",
    "inside_mapped_area": "unknown",
    "device_category": "unknown",
    "activity": "unknown",
    "verification": "reported",
    "status": "unknown",
    "sex": "unknown",
    "age_group": "unknown",
    "injury": "",
    "displacement": "unknown",
}
REQUIRED = ["incident", "date", "area", "source_type", "outcome"]
KNOWN = {
    "incident",
    "date",
    "area",
    "device_model",
    "production_year",
    "source_reference",
    "internal_note",
    "age",
    *INCIDENT_COLUMNS,
    *CASUALTY_COLUMNS,
}
# The columns that describe the incident: every row of one incident must agree on them.
INCIDENT_KEYS = [
    "date",
    "area",
    "device_model",
    "production_year",
    "source_reference",
    "internal_note",
    *INCIDENT_COLUMNS,
]


def column_help() -> list[dict[str, str | bool | list[str]]]:
    """The import page's list of columns, for the registrar: what each holds, whether it must
    be there, and the values it takes (the stored key, then its label)."""
    described = {
        "incident": _("A label shared by the rows (casualties) of one incident, e.g. 1."),
        "date": _("When it happened: YYYY-MM-DD, YYYY-MM or YYYY (the precision follows)."),
        "area": _("The district's ISO 3166-2 code, e.g. AZ-LAC."),
        "device_model": _("The device's model, e.g. PMN-2 (free text, screened)."),
        "production_year": _("The year the device was made, e.g. 2021."),
        "source_reference": _("Where the report came from (internal, screened)."),
        "internal_note": _("A note for the register's staff (internal, screened)."),
        "age": _("Age in years: only its age group is kept (or give age_group)."),
    }
    order = ["incident", *INCIDENT_KEYS, *CASUALTY_COLUMNS, "age"]  # every one of KNOWN
    vocabularies = {**INCIDENT_COLUMNS, **CASUALTY_COLUMNS}
    return [
        {
            "name": name,
            "required": name in REQUIRED,
            "meaning": described.get(name, ""),
            "values": [f"{value} ({label})" for value, label in vocabularies[name].choices]
            if name in vocabularies
            else [],
            "default": DEFAULTS.get(name, ""),
        }
        for name in order
    ]


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold: a date cell as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def read_rows(name: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by lower-case header; ValueError if unreadable."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ValueError(_("The file is not a readable XLSX workbook.")) from error
        values = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(_("The file is not UTF-8 text (save the CSV as UTF-8).")) from error
        values = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    values = [row for row in values if any(row)]
    if not values:
        raise ValueError(_("The file is empty."))
    header = [name.strip().lower() for name in values[0]]
    return [dict(zip(header, row, strict=False)) for row in values[1:]]


def parse_date(text: str) -> tuple[datetime.date, str]:
    """A date written YYYY-MM-DD, YYYY-MM or YYYY, and its precision ("day", "month" or
    "year"); ValueError otherwise."""
    for pattern, precision in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            return datetime.datetime.strptime(text, pattern).date(), precision
        except ValueError:
            continue
    raise ValueError
