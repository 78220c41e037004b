"""The one CSV writer for everything the project emits: page downloads, the API's CSV and
HXL, the register's export. It neutralises formula injection: a spreadsheet program runs a
cell that starts with =, +, -, @, a tab or a carriage return as a formula (OWASP, "CSV
Injection"), and names that register staff can edit (a district, a device model) reach
public files. Such a text cell gets a leading apostrophe, which spreadsheets show as text;
numbers are left alone."""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value, or a text that starts like a formula, with an apostrophe in front."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer's writerow, with every cell neutralised."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, **options) -> SafeWriter:
    return SafeWriter(file, **options)
