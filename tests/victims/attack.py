"""An attacker's solver for the public casualty figures.

It knows what a visitor knows: every published table (the page's tables and their CSVs,
the API's tables for every dimension, year and period), the rule in victims/disclosure.py
(which counts are exact, that protected counts move by at most MAX_PERTURBATION and that
counts below K are hidden, with some zeros), and how tables relate: a cell is the sum of
its cells along any other dimension, a period is the sum of its years, all time the sum of
every year.

Each distinct cell (a set of fixed values, e.g. area=AZ-LAC, sex=female, years=2021-2021)
is an unknown with an interval of possible true counts; every relation "cell = sum of its
parts" tightens the intervals (bounds propagation to a fixed point, with integer rounding),
the way a solver for tabular data attacks suppression. A cell is *pinned* when its interval
shrinks to one value. The solver must never pin a hidden count from 1 to K-1, and its
intervals must always contain the truth (else it models the rule wrongly: checked too).

`Cell` keys: a frozenset of (dimension, value) pairs plus ("years", "all") or
("years", "A-B"). The module imports nothing from the project, so it can also be run
against an older version of the code to measure what that version gave away.
"""

from collections import defaultdict
from dataclasses import dataclass, field

INFINITY = 10**9


@dataclass
class Observation:
    """What a visitor sees of one cell: an exact count, a protected count (perturbed),
    hidden, or (older rule) "<K" and "…"."""

    kind: str  # exact | perturbed | hidden | primary | secondary
    value: int | None = None


def cell_key(values: dict) -> frozenset:
    return frozenset((name, str(value)) for name, value in values.items())


@dataclass
class Solver:
    k: int
    max_perturbation: int
    domains: dict = field(default_factory=dict)  # cell -> [lo, hi]
    holes: set = field(default_factory=set)  # cells known to be 0 or >= k ("…")
    equations: list = field(default_factory=list)  # (parent, [children])
    observed: dict = field(default_factory=dict)  # cell -> Observation
    because: dict = field(default_factory=dict)  # cell -> the equation that last tightened it
    conflicts: list = field(default_factory=list)  # one cell published two ways

    # --- what is seen ------------------------------------------------------------------

    def observe(self, cell: frozenset, seen: Observation) -> None:
        if self.observed.setdefault(cell, seen) != seen:
            self.conflicts.append((cell, self.observed[cell], seen))
        lo, hi = self._bounds(seen)
        if seen.kind == "secondary":
            self.holes.add(cell)
        current = self.domains.setdefault(cell, [0, INFINITY])
        current[0], current[1] = max(current[0], lo), min(current[1], hi)

    def _bounds(self, seen: Observation) -> tuple[int, int]:
        k, d = self.k, self.max_perturbation
        if seen.kind == "exact":
            return seen.value, seen.value
        if seen.kind == "perturbed":
            return max(1, seen.value - d), seen.value + d  # zeros are never shown
        if seen.kind == "hidden":
            return 0, k - 1 + d
        if seen.kind == "primary":
            return 1, k - 1
        return 0, INFINITY  # "…": 0 or at least k (the hole)

    # --- how cells relate ----------------------------------------------------------------

    def relate(self, dimensions: dict, years: list[int]) -> None:
        """Add every relation "cell = sum of its parts" among known cells: along each
        dimension (all of its values present), and along years."""
        known = set(self.domains)
        parents = set(known)
        for cell in known:
            for pair in cell:
                if pair[0] != "years":
                    parents.add(cell - {pair})
        for parent in parents:
            fixed = dict(parent)
            for dimension, values in dimensions.items():
                if dimension in fixed:
                    continue
                if dimension == "month" and not _single_year(fixed.get("years")):
                    continue
                children = [parent | {(dimension, str(value))} for value in values]
                if all(child in known for child in children):
                    self._equation(parent, children)
            span = fixed.get("years")
            if span is None:
                continue
            rest = parent - {("years", span)}
            first, last = (years[0], years[-1]) if span == "all" else map(int, span.split("-"))
            if first == last:
                continue
            children = [rest | {("years", f"{y}-{y}")} for y in range(first, last + 1)]
            if all(child in known for child in children):
                self._equation(parent, children)

    def _equation(self, parent, children) -> None:
        self.domains.setdefault(parent, [0, INFINITY])
        self.equations.append((parent, children))

    # --- solving ---------------------------------------------------------------------------

    def solve(self, rounds: int = 200) -> None:
        """Bounds propagation to a fixed point: for parent = sum(children), the parent lies
        within the children's sums and each child within parent minus the others."""
        of_cell = defaultdict(list)
        for index, (parent, children) in enumerate(self.equations):
            of_cell[parent].append(index)
            for child in children:
                of_cell[child].append(index)
        pending = set(range(len(self.equations)))
        d = self.domains
        for _round in range(rounds):
            if not pending:
                return
            changed = set()
            for index in pending:
                parent, children = self.equations[index]
                low = sum(d[c][0] for c in children)
                high = sum(min(d[c][1], INFINITY) for c in children)
                if self._tighten(parent, low, high):
                    changed.add(parent)
                    self.because[parent] = index
                p_lo, p_hi = d[parent]
                for child in children:
                    others_lo = low - d[child][0]
                    others_hi = high - min(d[child][1], INFINITY)
                    if self._tighten(child, p_lo - others_hi, p_hi - others_lo):
                        changed.add(child)
                        self.because[child] = index
            pending = {index for cell in changed for index in of_cell[cell]}

    def _tighten(self, cell, lo, hi) -> bool:
        domain = self.domains[cell]
        new_lo, new_hi = max(domain[0], lo), min(domain[1], hi)
        if cell in self.holes:  # 0 or at least k
            if new_lo >= 1:
                new_lo = max(new_lo, self.k)
            if new_hi < self.k:
                new_hi = 0
        if (new_lo, new_hi) != tuple(domain):
            domain[0], domain[1] = new_lo, new_hi
            return True
        return False

    # --- what it learnt --------------------------------------------------------------------

    def pinned(self, truth) -> list[tuple[frozenset, int]]:
        """Cells shown hidden (or "<K"/"…") whose interval is one value from 1 to K-1 that
        is the true count: what the attacker has learnt for certain."""
        found = []
        for cell, seen in self.observed.items():
            if seen.kind in ("exact",) or (seen.kind == "perturbed" and seen.value >= self.k):
                continue
            lo, hi = self.domains[cell]
            if lo == hi and 1 <= lo < self.k and truth(cell) == lo:
                found.append((cell, lo))
        return found

    def explain(self, cell, truth, depth: int = 3, indent: str = "") -> list[str]:
        """Why a cell's interval is what it is: the equations that tightened it, recursively."""
        lines = [
            f"{indent}{sorted(cell)} {self.domains[cell]} seen {self.observed.get(cell)} "
            f"true {truth(cell)}"
        ]
        if depth and cell in self.because:
            parent, children = self.equations[self.because[cell]]
            for other in [parent, *children]:
                if other != cell:
                    lines += self.explain(other, truth, depth - 1, indent + "    ")
        return lines

    def wrong(self, truth) -> list[tuple[frozenset, list, int]]:
        """Cells whose interval excludes the truth: the solver's model of the rule is wrong."""
        found = []
        for cell in self.observed:
            lo, hi = self.domains[cell]
            true = truth(cell)
            if not lo <= true <= hi:
                found.append((cell, [lo, hi], true))
        return found


def _single_year(span: str | None) -> bool:
    if not span or span == "all":
        return False
    first, last = span.split("-")
    return first == last
