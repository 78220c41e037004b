"""Checks of an import file, the whole file and each row, before anything is written.

`check` lists every problem with its line and column (a Problem) and, for a file without
problems, the incidents and casualties it would import (unsaved, in an ImportResult that
commit.py writes). Changes nothing.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from victims import choices
from victims.importing.reading import (
    CASUALTY_COLUMNS,
    DEFAULTS,
    INCIDENT_COLUMNS,
    INCIDENT_KEYS,
    KNOWN,
    REQUIRED,
    parse_date,
    read_rows,
)
from victims.models import Area, Casualty, DeviceModel, Incident
from victims.screening import find_personal_data

FREE_TEXT = ["source_reference", "internal_note", "device_model"]
# The longest value each free-text column takes (the database refuses longer ones).
LENGTHS: dict[str, int] = {
    "source_reference": Incident._meta.get_field("source_reference").max_length or 0,
    "device_model": DeviceModel._meta.get_field("name").max_length or 0,
}
MAX_ROWS = 100_000


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


def _build_incident(members: list, lookups: _Lookups) -> tuple[Incident, list[Casualty], int]:
    """(incident, its casualties, its first line), unsaved. A device model not yet in the
    register is left to commit.py, by name (`_new_device_model`)."""
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
