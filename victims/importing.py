"""Import of incidents and casualties from CSV or XLSX: check everything, then all or nothing.

One row per casualty. Rows with the same `incident` label are one incident; their incident
columns must agree. Columns (header names, any order; unknown columns are an error):

  incident, date (YYYY-MM-DD, YYYY-MM or YYYY: the precision follows), area (ISO code, e.g.
  AZ-LAC), place_type, outside_contact_line, inside_mapped_area, device_category,
  device_model, production_year, activity, source_type, source_reference, internal_note,
  verification, outcome, status, sex, age_group or age (years: only the group is kept),
  injury, displacement.

Controlled columns take the stored values (e.g. `antipersonnel`, `killed`, `18-29`). Free
text is screened for personal data like every other save. `check` lists every problem with
its line and column and changes nothing; `commit` imports only a file without problems, in
one transaction. Written here rather than with django-import-export because a row is a
casualty grouped into an incident (two models at once) and because the whole file must be
checked before anything is written.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from victims import choices
from victims.caching import bump_register_version
from victims.models import Area, Casualty, DeviceModel, Incident, ReferenceCounter
from victims.screening import find_personal_data

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
FREE_TEXT = ["source_reference", "internal_note", "device_model"]
# The longest value each free-text column takes (the database refuses longer ones).
LENGTHS = {
    "source_reference": Incident._meta.get_field("source_reference").max_length,
    "device_model": DeviceModel._meta.get_field("name").max_length,
}
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
INCIDENT_KEYS = [
    "date",
    "area",
    "device_model",
    "production_year",
    "source_reference",
    "internal_note",
    *INCIDENT_COLUMNS,
]
MAX_ROWS = 100_000


def column_help() -> list[dict]:
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


@dataclass
class Problem:
    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    incidents: list[tuple[Incident, list[Casualty], int]] = field(default_factory=list)
    rows: int = 0

    @property
    def casualties(self) -> int:
        return sum(len(casualties) for _incident, casualties, _line in self.incidents)


def _cell_text(value) -> str:
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
    for pattern, precision in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            return datetime.datetime.strptime(text, pattern).date(), precision
        except ValueError:
            continue
    raise ValueError


@dataclass
class _Lookups:
    """What the per-row checks look up, fetched once a file."""

    areas: dict[str, int]
    models: dict[str, int]
    today: datetime.date


def check(name: str, content: bytes) -> ImportResult:
    """Every problem of the file, with line and column; and what would be imported."""
    result = ImportResult()
    try:
        rows = read_rows(name, content)
    except ValueError as error:
        result.problems.append(Problem(1, "", str(error)))
        return result
    result.rows = len(rows)
    result.problems += _file_problems(rows)
    if result.problems:
        return result

    lookups = _Lookups(
        areas=dict(Area.objects.values_list("code", "id")),
        models={n.lower(): pk for pk, n in DeviceModel.objects.values_list("id", "name")},
        today=datetime.date.today(),
    )
    groups = defaultdict(list)
    for index, row in enumerate(rows, start=2):
        values, problems = _check_row(index, row, lookups)
        result.problems += problems
        groups[values["incident"]].append((index, values))
    result.problems += _consistency_problems(groups)
    if result.problems:
        return result
    result.incidents = [_build_incident(members, lookups) for members in groups.values()]
    return result


def _file_problems(rows: list[dict]) -> list[Problem]:
    """Problems of the file as a whole: no rows, too many, unknown or missing columns."""
    if not rows:
        return [Problem(1, "", _("The file has a header but no rows."))]
    if len(rows) > MAX_ROWS:
        return [Problem(1, "", _("At most %(n)s rows a file.") % {"n": MAX_ROWS})]
    header = set(rows[0])
    problems = [Problem(1, column, _("Unknown column.")) for column in sorted(header - KNOWN)]
    problems += [
        Problem(1, column, _("This column is missing."))
        for column in REQUIRED
        if column not in header
    ]
    return problems


def _check_row(line: int, row: dict, lookups: _Lookups) -> tuple[dict, list[Problem]]:
    """One row's values, normalised, and its problems (column by column)."""
    values = {key: (row.get(key) or "").strip() for key in KNOWN}
    found: list[tuple[str, str]] = []
    found += [(column, _("A value is required.")) for column in REQUIRED if not values[column]]
    found += _vocabulary_problems(values)
    found += _date_problems(values, lookups.today)
    if values["area"] and values["area"] not in lookups.areas:
        found.append(("area", _("Unknown area code %(code)r.") % {"code": values["area"][:20]}))
    found += _number_problems(values, lookups.today)
    if values["injury"] and values["outcome"] != choices.Outcome.INJURED:
        found.append(("injury", _("An injury is recorded for the injured only.")))
    found += _text_problems(values)
    return values, [Problem(line, column, message) for column, message in found]


def _vocabulary_problems(values: dict) -> list[tuple[str, str]]:
    """Coded columns: a value of their vocabulary (a blank takes the column's default)."""
    found = []
    for column, vocabulary in {**INCIDENT_COLUMNS, **CASUALTY_COLUMNS}.items():
        value = values[column] or DEFAULTS.get(column, "")
        if value not in vocabulary.values:
            allowed = ", ".join(v for v in vocabulary.values if v)
            message = _("%(value)r is not one of: %(allowed)s")
            found.append((column, message % {"value": value[:40], "allowed": allowed}))
        values[column] = value
    return found


def _date_problems(values: dict, today: datetime.date) -> list[tuple[str, str]]:
    if not values["date"]:
        return []
    try:
        values["occurred_on"], values["date_precision"] = parse_date(values["date"])
    except ValueError:
        return [("date", _("Write the date as YYYY-MM-DD, YYYY-MM or YYYY."))]
    if values["occurred_on"] > today:
        return [("date", _("The date is in the future."))]
    if values["occurred_on"].year < 1990:
        return [("date", _("The date is before 1990."))]
    return []


def _number_problems(values: dict, today: datetime.date) -> list[tuple[str, str]]:
    found = []
    year = values["production_year"]
    if year and not (year.isdigit() and 1900 <= int(year) <= today.year):
        found.append(("production_year", _("A year between 1900 and this year.")))
    if values["age"]:
        if not values["age"].isdigit() or int(values["age"]) > 120:
            found.append(("age", _("An age in whole years, 0 to 120.")))
        else:
            values["age_group"] = choices.age_group_for(int(values["age"]))
    return found


def _text_problems(values: dict) -> list[tuple[str, str]]:
    """Lengths the database holds, and free text screened for personal data."""
    found = []
    for column, limit in LENGTHS.items():
        if len(values[column]) > limit:
            message = _("At most %(limit)s characters; this value has %(length)s.")
            found.append((column, message % {"limit": limit, "length": len(values[column])}))
    for column in FREE_TEXT:
        personal = find_personal_data(values[column])
        if personal:
            message = _("Looks like personal data (%(found)s).")
            found.append((column, message % {"found": ", ".join(str(i) for i in personal)}))
    return found


def _consistency_problems(groups: dict) -> list[Problem]:
    """Rows of one incident must agree on the incident's columns."""
    problems = []
    for label, members in groups.items():
        first_line, first = members[0]
        for line, values in members[1:]:
            for key in INCIDENT_KEYS:
                if values[key] != first[key]:
                    message = _("Differs from line %(line)s of the same incident %(label)r.")
                    problems.append(
                        Problem(line, key, message % {"line": first_line, "label": label[:40]})
                    )
    return problems


def _build_incident(members: list, lookups: _Lookups) -> tuple:
    """(incident, its casualties, its first line), unsaved."""
    first_line, first = members[0]
    model_name = first["device_model"]
    incident = Incident(
        occurred_on=first["occurred_on"],
        date_precision=first["date_precision"],
        area_id=lookups.areas[first["area"]],
        device_model_id=lookups.models.get(model_name.lower()) if model_name else None,
        production_year=int(first["production_year"]) if first["production_year"] else None,
        source_reference=first["source_reference"],
        internal_note=first["internal_note"],
        **{column: first[column] for column in INCIDENT_COLUMNS},
    )
    incident._new_device_model = (
        model_name if model_name and model_name.lower() not in lookups.models else ""
    )
    casualties = [
        Casualty(**{column: values[column] for column in CASUALTY_COLUMNS})
        for _line, values in members
    ]
    return incident, casualties, first_line


@transaction.atomic
def commit(result: ImportResult) -> list[Incident]:
    """Write a checked file: all of it in one transaction, or nothing."""
    if result.problems:
        raise ValueError("a file with problems cannot be imported")
    new_models = {}
    for incident, _casualties, _line in result.incidents:
        name = getattr(incident, "_new_device_model", "")
        if name:
            key = name.lower()
            if key not in new_models:
                new_models[key], _created = DeviceModel.objects.get_or_create(name=name)
            incident.device_model = new_models[key]
    by_year = defaultdict(list)
    for incident, _casualties, _line in result.incidents:
        by_year[incident.occurred_on.year].append(incident)
    for year, incidents in by_year.items():
        references = ReferenceCounter.allocate(year, len(incidents))
        for incident, reference in zip(incidents, references, strict=True):
            incident.reference = reference
    incidents = bulk_create_with_history(
        [incident for incident, _c, _l in result.incidents], Incident, batch_size=1000
    )
    saved = dict(zip([id(i) for i, _c, _l in result.incidents], incidents, strict=True))
    casualties = []
    for incident, members, _line in result.incidents:
        for casualty in members:
            casualty.incident = saved[id(incident)]
            casualties.append(casualty)
    bulk_create_with_history(casualties, Casualty, batch_size=2000)
    bump_register_version()
    return incidents
