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

reading.py reads the file (and describes its columns for the import page), checks.py finds
every problem and builds the unsaved incidents, commit.py writes them.
"""

from victims.importing.checks import ImportResult, Problem, check
from victims.importing.commit import commit
from victims.importing.reading import column_help, read_rows

__all__ = ["ImportResult", "Problem", "check", "column_help", "commit", "read_rows"]
