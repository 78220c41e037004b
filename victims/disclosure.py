"""Disclosure control: the one rule every public casualty figure passes through.

The register counts people; a small count in a breakdown ("one girl injured in district X
in 2023") can identify one of them. figures.py (the public page) and api/tables.py (the
API's tables) compute every public figure from the counts of counting.py and hand each count
to this module, which decides what is published. Nothing else publishes a count.

A count is published for a *cell*, described by what it fixes (a dict such as {"years":
"all", "area": "AZ-LAC", "outcome": "killed"}): `publish()` applies the rule below to it,
`canonical_cell()` names it, and `build_table()` publishes a whole table and its totals,
each total a cell of its own.

The rule
--------
* **Exact**: national counts by outcome, by status and by outcome × status over the whole
  register (all time, or any period holding every year the register has casualties in).
  They are what the office announces ("65 killed, 50 civilians and 15 military"). `exact()`.
* **Protected**: every other count — the same national counts for a single year or a
  shorter period; any breakdown by sex, age group, district, month, device, activity; any
  filter by district; children, women and girls; shares of incidents. `protect()`, by cell
  key perturbation (below).

  Why a year's national counts are protected: until 1 December 2026 they were exact too,
  and the interval solver in tests/victims/test_attacks.py, run on the demo register as
  generated that day, pinned 4 hidden counts of 1: the year 2024 had exactly 1 casualty of
  unknown status (exact), other years' exact zeros made every district's cell for them 0,
  and the remaining bounds placed that one person in Agdam. Exact small counts per year
  (and exact zeros) are the anchors such chains need; whole-register counts are large.

  Cell key perturbation:

  1. Every casualty (and every incident) has a random *record key*, 0–255, drawn when it is
     created and never shown (``record_key`` in models.py).
  2. A cell's *cell key* is the sum of the record keys of the people in it plus a secret
     offset for the cell (a keyed hash of its canonical name and the site's SECRET_KEY),
     modulo 256. The same question always has the same cell key, whatever table it was
     asked through; so do questions anyone can prove hold the same people (a period is
     named by its years that have casualties of the cell's outcome and status, so "2021–
     2023" and "2022–2023" are one cell when 2021 had none; all time is the period of
     every year).

  Why the offset: ONS's method gives the same people the same noise however they are
  asked. That also works backwards: two cells whose figures differ must hold different
  people, so if a district's figure for 2022–2023 differs from its figure for 2023, 2022
  had someone there. An independent attacker (issue 10's review) turned this into 3,888
  proofs of "at least one person" and, with the exact national totals, 30 hidden counts
  recovered exactly (e.g. the one casualty of unknown status in 2022 was male). With the
  offset, figures of different questions are unrelated, so a difference proves nothing.
  3. A count of one or more gets the perturbation the p-table below gives for its cell key.
     If the result is below K (K = ``CASUALTY_MIN_CELL``, default 5), the cell is hidden. A
     zero is hidden too (it has no people, so no key, and is never perturbed).

  So small counts are nearly always hidden (a 1 is shown, as 5, for one cell key in 256; a
  4 for a quarter of them, as 5 to 8), and a shown figure does not prove that the count is
  K or more. That matters: when an exact national count is K and one of its breakdowns is
  shown, "shown means at least K" would tell an attacker that everyone is in that cell.

  Why zeros are hidden: a published zero is a certainty. In sparse tables (a district, a
  month, a category) most cells are zeros, and an attacker who knows that all but one
  district had none of the year's deminers killed, an exact national figure, knows where
  the one was. Hiding some zeros at random does not help: finer tables showing zeros give
  the coarser hidden zeros away (tests/victims/test_attacks.py found 455 counts that way on
  the demo register). With zeros hidden, "hidden" means "0 to K−1, or a little more" and
  siblings do not pin one another.

  This is the method the Australian Bureau of Statistics built for its on-demand tables and
  the UK Office for National Statistics used for the flexible tables of Census 2021
  (ONS, "Cell key perturbation", 2022; PyPI ``cell-key-perturbation``, MIT). Their package
  works on pandas data frames of microdata; the register's counts come from SQL GROUP BY
  queries that also sum the record keys, so the ten lines of the method live here instead.

The p-table
-----------
For a count c ≥ 1 the perturbation d(cell key) is, over the 256 cell keys: 0 for 128 keys
(50 %), ±1 for 40 keys each (31 % in all), ±2 for 20 each (16 %), ±3 for 3 each (2.3 %), ±4
for 1 each (0.8 %). Mean absolute change 0.73; never more than 4. The keys are spread over
the table by a fixed permutation (``PTABLE``), generated once and kept in this file: changing
it would change every published figure.

What an attacker can and cannot learn
-------------------------------------
* Asking again, or through another table, gives the same answer, and so does any other
  question provably about the same people: repetition averages nothing away. Questions
  that merely happen to hold the same people get unrelated noise; an attacker who cannot
  prove they are the same people cannot combine them either.
* Subtracting two overlapping periods or two tables gives the difference plus the difference
  of two perturbations: an interval of up to 17 values, not a count. An exact margin (the
  national killed total, say) minus published cells gives an interval as wide as their
  perturbations: one hidden value is pinned only when every published cell in that
  equation carries the largest perturbation in the same direction (p = 1/256 each); zeros
  are hidden too, and a difference between two figures proves nothing (the offset), so
  a hidden cell is not known to hold anyone from its neighbours.
  tests/victims/test_attacks.py runs an interval solver over every table a visitor can
  download and checks that no hidden count from 1 to K−1 is pinned, and that the "figures
  differ, so someone is there" inference is wrong often enough to be useless.
* Totals therefore need not equal the sum of their cells: each is perturbed on its own
  (except the exact ones). The page and the methodology say so.
* What is not protected: the exact national figures above (by design), and a partner key's
  generalised incident list (record-level data under an agreement; see the API docs).
* A known limit, over time: figures are live. Because the same people keep the same figure,
  an attacker who reads every table just before and just after one record is added or
  changed sees which protected cells changed, and so which cells hold that record (its
  district, sex, age group…; its outcome and status are exact anyway). Re-drawing all
  noise at every change would instead let an attacker average many draws. Snapshots
  (below) are the figures to cite; they do not have this weakness.

Across snapshots
----------------
A register snapshot (snapshots.py) freezes the figures of a period (from one date to
another) as the register stood when it was taken. Snapshots stay public for good, so any
two of them, or one and today's figures, can be subtracted, and a reviewer (careless or
not) chooses their periods. Two independent attacks on earlier versions of this rule
(6 December 2026, scripts kept outside the repository) shaped it: with periods free to the
day, walking an end day one at a time read every casualty's date, outcome and status;
re-taking a snapshot after each late report showed, by which figure moved, where the
report that made a district's count cross K belonged; and snapshots of an empty period
reset the held figures so that probing windows a day apart singled people out. The rule:

* **Exact**: national counts by outcome, by status and by outcome × status for the
  period, day for day, when it starts with the register (no public incident before its
  first day) *and* it ends on the same day as, or 28 days or more (EXACT_SPACING_DAYS)
  from, the end of every other snapshot with exact figures: the "since the end of the
  conflict" figures a statement cites ("350, of them 65 killed"). Subtracting two such
  snapshots gives the national count by outcome and status of a window of four weeks or
  more (or the corrections to one period), never of a day. Otherwise these counts are
  protected like the rest.
* **Protected, over whole years**: every other figure (and the tables and shares) covers
  the whole calendar years the period touches, as the register stood that day, and is
  named exactly as the live statistics name that question (canonical_cell, by the years
  with casualties), with a salt of its own ("snapshot|…"). Moving a period's first or
  last day within its years changes none of them; there are as many questions as the
  live API's whole-year periods, no more, and an empty period names other questions
  (it cannot reset anything).
* **Held, and redrawn only in batches**: a snapshot publishes the figure the latest
  earlier snapshot published under that name, unless both
    1. the register has changed (records added, edited, verified, discounted, deleted:
       its revisions) by 5 × K or more since the last snapshot that could redraw, and
    2. the figure's true count has moved by K or more since it was drawn.
  Then it is drawn anew. The true count at each draw, and the register's revisions at the
  last snapshot that could redraw, are kept in the snapshot's private worksheet, never
  shown. Taking snapshots, of any period, never opens a redraw: only the register does.

  What this gives:
  - Subtracting two snapshots: for any name, they show the very same figure (fewer than K
    people came or went since it was drawn, or fewer than 5 × K changes reached the
    register since the last redraw: an attacker cannot tell 0 from 1 to K−1), or a figure
    redrawn after a batch of 5 × K changes or more, so that the change cannot be pinned on
    one record. One new casualty, or one late report after another with a snapshot after
    each, changes no figure until a batch has come (tests/victims/test_snapshots.py runs
    both attacks, and shows the first succeeding without the hold).
  - Repetition averages nothing away: the same question about the same people always gets
    the same figure in snapshots; a figure's noise changes only with the people in it.
  - A snapshot and today's figures: a snapshot's draws are salted apart from the live
    ones, so for the same people a visitor has at most two unrelated draws (the live one
    and the snapshots'), and "which figures differ" between a snapshot and today says
    nothing (tested). The live exact national totals minus a snapshot's give the national
    count by outcome and status since its end: what the live totals show over time.
  - A held figure is out of date by fewer than K (plus the perturbation), or by what came
    since the last batch; the "what changed" page says so.
  - Residual risk, stated: at a redraw, a figure of a rare category (deminers in one
    district, say) that crosses K may do so with the one record of that category the
    batch holds; with the exact national counts of the batch's window (four weeks or
    more), an attacker may then learn that this record is in that district. It needs K
    such records in one place and a batch holding exactly one more: rare, and bounded by
    the number of batches. Someone who can write to the register can force batches; they
    can also read it, so the figures are not what protects the register from them.
* A figure of a snapshot that the placeholders of a statement cite is a figure of the
  snapshot: the citation publishes nothing new.
"""

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext as _

KEYS = 256
MAX_PERTURBATION = 4

# How many of the 256 cell keys give each perturbation (see the module doc).
_SPREAD = {0: 128, 1: 40, -1: 40, 2: 20, -2: 20, 3: 3, -3: 3, 4: 1, -4: 1}


def _ptable() -> tuple[int, ...]:
    """The perturbation for each cell key: the spread above, in a fixed shuffled order."""
    values = [d for d, keys in sorted(_SPREAD.items()) for _ in range(keys)]
    random.Random(20261127).shuffle(values)  # noqa: S311 - a fixed order, not a secret
    return tuple(values)


PTABLE = _ptable()


def min_cell() -> int:
    return settings.CASUALTY_MIN_CELL


def record_key() -> int:
    """A new record's key: uniform over 0–255, from the operating system's randomness."""
    import secrets

    return secrets.randbelow(KEYS)


@dataclass(frozen=True)
class Figure:
    """A published count: the value to show (never the true count unless `exact`), or
    hidden."""

    value: int | None
    exact: bool = False

    @property
    def hidden(self) -> bool:
        return self.value is None

    def display(self) -> str:
        return hidden_mark() if self.value is None else str(self.value)


HIDDEN = Figure(None)


def hidden_mark() -> str:
    """How a hidden figure looks everywhere: one word, whatever hid it."""
    return _("hidden")


def exact(count: int) -> Figure:
    """A figure published as it is (see the rule: national counts by outcome and status)."""
    return Figure(count, exact=True)


def protect(count: int, key_sum: int, cell: str) -> Figure:
    """The published figure for a cell of `count` people whose record keys sum to
    `key_sum`. `cell` names the cell canonically (see canonical_cell): the same
    question always gets the same answer, and so do two questions that anyone can prove
    hold the same people; otherwise the noise of two cells is unrelated, even if they
    happen to hold the same people."""
    if count == 0:
        return HIDDEN
    published = count + PTABLE[(key_sum + cell_salt(cell)) % KEYS]
    return HIDDEN if published < min_cell() else Figure(published)


def cell_salt(cell: str) -> int:
    """A secret offset for a cell's key, from its canonical name and the site's secret."""
    return salted_hmac("victims.disclosure.cell", cell).digest()[0]


def share(part: Figure, whole: Figure) -> int | None:
    """A whole-number percentage of two published figures, or None when either is hidden
    or the whole is 0. Computed from the published figures only, so it says no more."""
    if part.value is None or whole.value is None or not whole.value:  # hidden, or a 0
        return None
    return max(0, min(100, round(100 * part.value / whole.value)))


# --- cells and tables ------------------------------------------------------------------------

# The dimensions whose national counts over the whole register are exact (see the rule).
EXACT_DIMENSIONS = {"outcome", "status"}

# A cell: the values it fixes, by dimension, and its period ("years": "all" or "2021-2024").
Cell = dict[str, str]
# For every national slice by outcome and status (None: any), the years with at least one
# public casualty in it (counting.slice_years()): what periods are named by.
Slices = dict[tuple[str | None, str | None], list[int]]
# (count, sum of record keys) by (row, column) of a table.
Counts = dict[tuple[str, str], tuple[int, int]]
# A label shown in a table: lazy until shown, so translated in the reader's language.
Label = str | Promise


def publish(count: int, key_sum: int, cell: Cell, slices: Slices) -> Figure:
    """The published figure of the people in `cell`. Exact when the cell is national and
    fixed by outcome and status only, over the whole register; protected otherwise.
    `slices` is `counting.slice_years()`, fetched once by the caller."""
    if set(cell) - {"years"} <= EXACT_DIMENSIONS and _whole_record(cell, slices):
        return exact(count)
    return protect(count, key_sum, canonical_cell(cell, slices))


def _whole_record(cell: Cell, slices: Slices) -> bool:
    """Whether the cell's period holds every year of the register with casualties."""
    span = cell.get("years", "all")
    if span == "all":
        return True
    first, last = (int(year) for year in span.split("-"))
    return all(first <= year <= last for year in slices.get((None, None), []))


def canonical_cell(cell: Cell, slices: Slices) -> str:
    """A cell's name for the disclosure control: its fixed values, sorted, and its period as
    the years in it that have casualties at all (the register's coverage, which the page
    states). Two questions anyone can prove to hold the same people get the same name: "all"
    and "2020-2026", or "2019-2023" and "2020-2023" when the register starts in 2020. Years
    without anyone of the cell's outcome and status are not dropped: a year's national
    counts are protected, so whether one is zero must not show through equal figures."""
    span = cell.get("years", "all")
    years = slices.get((None, None), [])
    if span != "all":
        first, last = (int(year) for year in span.split("-"))
        years = [year for year in years if first <= year <= last]
    names = [f"{name}={cell[name]}" for name in sorted(cell) if name != "years"]
    return "|".join([*names, "years=" + ",".join(str(year) for year in years)])


def fixing(dimension: str, value: str) -> Cell:
    """How fixing a dimension to a value names the cell: a year is a period of one year."""
    if dimension == "year":
        return {"years": f"{value}-{value}"}
    return {dimension: value}


@dataclass
class Table:
    """A table of published figures: cells by (row, column), and its totals."""

    key: str
    title: Label
    row_dimension: str
    column_dimension: str | None
    rows: Sequence[tuple[str, Label]]
    columns: Sequence[tuple[str, Label]]
    cells: dict[tuple[str, str], Figure] = field(default_factory=dict)
    row_totals: dict[str, Figure] = field(default_factory=dict)
    column_totals: dict[str, Figure] = field(default_factory=dict)
    total: Figure = field(default_factory=lambda: Figure(0))

    @property
    def any_hidden(self) -> bool:
        return any(cell.hidden for cell in self.all_cells())

    @property
    def any_protected(self) -> bool:
        return any(not cell.exact for cell in self.all_cells())

    def all_cells(self) -> Iterator[Figure]:
        yield from self.cells.values()
        yield from self.row_totals.values()
        yield from self.column_totals.values()
        yield self.total


def build_table(
    key: str,
    title: Label,
    row_dimension: str,
    column_dimension: str | None,
    rows: Sequence[tuple[str, Label]],
    columns: Sequence[tuple[str, Label]],
    counts: Counts,
    fixed: Cell | None = None,
    slices: Slices | None = None,
) -> Table:
    """A table of published figures with its totals, each total published as a cell of its
    own (so totals may not equal the sum of the published cells). `counts` maps (row,
    column) to (count, sum of record keys); `fixed` holds what the whole table is limited
    to (e.g. {"years": "all"}). A one-dimensional table has the single column "all".
    `slices` is `counting.slice_years()`, fetched here when not given."""
    fixed = {"years": "all", **(fixed or {})}
    if slices is None:
        # Imported here, not at the top: models.py imports this module (record_key), and
        # counting.py imports the models.
        from victims.counting import slice_years

        slices = slice_years()

    def cell_of(row: str | None = None, column: str | None = None) -> Cell:
        cell = dict(fixed)
        for dimension, value in ((row_dimension, row), (column_dimension, column)):
            if dimension and value is not None:
                cell.update(fixing(dimension, value))
        return cell

    table = Table(key, title, row_dimension, column_dimension, rows, columns)
    row_sums: dict[str, list[int]] = {}
    column_sums: dict[str, list[int]] = {}
    grand = [0, 0]
    for row, _label in rows:
        for column, _clabel in columns:
            count, keys = counts.get((row, column), (0, 0))
            table.cells[(row, column)] = publish(count, keys, cell_of(row, column), slices)
            for sums, name in ((row_sums, row), (column_sums, column)):
                total = sums.setdefault(name, [0, 0])
                total[0] += count
                total[1] += keys
            grand[0] += count
            grand[1] += keys
    for row, _label in rows:
        count, keys = row_sums.get(row, (0, 0))
        table.row_totals[row] = publish(count, keys, cell_of(row), slices)
    for column, _label in columns:
        count, keys = column_sums.get(column, (0, 0))
        table.column_totals[column] = (
            publish(count, keys, cell_of(column=column), slices)
            if column_dimension
            else table.row_totals.get(column, Figure(0))
        )
    table.total = publish(grand[0], grand[1], cell_of(), slices)
    return table
