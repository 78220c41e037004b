"""Figures a statement cites from a register snapshot: the placeholders in its body
([[killed.civilian]]), their rendering in the statement's language, the checks on save, and
the figure check a publisher sees before publishing.

The names are victims.snapshots.PLACEHOLDERS. A placeholder is rendered from the edition's
snapshot (immutable), so the published text, its canonical text and its SHA-256 always hold
the same numbers, whatever happens to the register afterwards.
"""

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from babel.numbers import format_decimal, format_percent
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from statements.richtext import html_to_text
from victims.snapshots import PLACEHOLDERS

PLACEHOLDER = re.compile(r"\[\[\s*([^\[\]<>]{0,80}?)\s*\]\]")
# A number as written in a text: digits with thousands separators (comma, dot, space or
# no-break space) and an optional per cent sign around it.
NUMBER = re.compile(r"(%\s?)?(?<![\w.,])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+)(?![\w])(\s?%)?")
PERCENT_WORDS = re.compile(r"^\s*(per ?cent|percent|faiz|процент)", re.IGNORECASE)


def names_in(body: str) -> list[str]:
    """The placeholder names a body uses, in order, once each."""
    return list(dict.fromkeys(match.group(1) for match in PLACEHOLDER.finditer(body or "")))


def valid_names() -> str:
    return ", ".join(f"[[{name}]]" for name in PLACEHOLDERS)


def problems(body: str, figures: Mapping[str, int | None] | None, number: int | None) -> list[str]:
    """Why the body's placeholders cannot be rendered: unknown names, no snapshot cited, or
    a figure the snapshot hides. Empty when they all can."""
    used = names_in(body)
    unknown = [name for name in used if name not in PLACEHOLDERS]
    errors = []
    if unknown:
        errors.append(
            _("Unknown figure placeholder %(names)s. The placeholders are: %(valid)s.")
            % {"names": ", ".join(f"[[{name}]]" for name in unknown), "valid": valid_names()}
        )
    known = [name for name in used if name in PLACEHOLDERS]
    if known and figures is None:
        errors.append(
            _(
                "The text uses %(names)s but cites no register snapshot: choose the snapshot "
                "whose figures it gives. The placeholders are: %(valid)s."
            )
            % {"names": ", ".join(f"[[{name}]]" for name in known), "valid": valid_names()}
        )
    elif known and figures is not None:
        hidden = [name for name in known if figures.get(name) is None]
        if hidden:
            errors.append(
                _(
                    "Snapshot %(number)s hides %(names)s (too few people to publish, or a "
                    "share of hidden figures): write the text without it."
                )
                % {"number": number, "names": ", ".join(f"[[{name}]]" for name in hidden)}
            )
    return errors


def format_figure(name: str, value: int | None, language: str) -> str:
    """A figure as the statement's language writes numbers: 1,234 / 1.234 / 1 234; 68% /
    68 %."""
    if value is None:
        return _("hidden")
    if name.startswith("share."):
        return format_percent(value / 100, locale=language)
    return format_decimal(value, locale=language)


def render(body: str, figures: Mapping[str, int | None] | None, language: str) -> str:
    """The body with each placeholder replaced by its figure (HTML-escaped text). A body
    without placeholders is returned as it is."""
    if "[[" not in (body or ""):
        return body
    values = figures or {}

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS or name not in values:
            return match.group(0)
        return html.escape(format_figure(name, values[name], language))

    return PLACEHOLDER.sub(replace, body)


# --- the figures box on the statement's page ----------------------------------------------------

BOX_FIGURES = [
    ("casualties", gettext_lazy("Casualties")),
    ("killed", gettext_lazy("Killed")),
    ("injured", gettext_lazy("Injured")),
    ("killed.civilian", gettext_lazy("Civilians killed")),
    ("killed.military", gettext_lazy("Military and security personnel killed")),
]


def figures_box(snapshot, language: str) -> list[tuple[str, str]] | None:
    """The headline figures of the cited snapshot, as the statement's box shows them (in the
    statement's language number format); None without a snapshot."""
    if snapshot is None:
        return None
    return [
        (str(label), format_figure(name, snapshot.figures.get(name), language))
        for name, label in BOX_FIGURES
        if snapshot.figures.get(name) is not None
    ]


# --- the figure check -----------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One figure of the text beside the snapshot's: `placeholder` None for a number
    written by hand; `matches` False for one that contradicts the snapshot."""

    text: str
    name: str
    snapshot_value: str
    placeholder: bool
    matches: bool


def _as_int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def figure_check(body: str, figures: Mapping[str, int | None] | None, language: str) -> list[Check]:
    """Every figure of the text a placeholder gives or could have given, beside the
    snapshot's value. A number written by hand counts when it is within 5 % (at least 2) of
    a figure of the snapshot, a per cent of a share: equal is a match (a placeholder would
    keep it right), close but different contradicts the snapshot. Years and numbers far
    from every figure (25 per cent accuracy, 2,700 mines) are not figures of the register."""
    if not figures:
        return []
    checks = [
        Check(
            text=format_figure(name, figures.get(name), language),
            name=name,
            snapshot_value=format_figure(name, figures.get(name), language),
            placeholder=True,
            matches=True,
        )
        for name in names_in(body)
        if name in PLACEHOLDERS
    ]
    text = html_to_text(PLACEHOLDER.sub(" ", body or ""))
    for match in NUMBER.finditer(text):
        written = _as_int(match.group(2))
        after = text[match.end() : match.end() + 12]
        percent = bool(match.group(1) or match.group(3) or PERCENT_WORDS.match(after))
        nearest = _nearest(written, figures, percent)
        if nearest is None:
            continue
        name, value = nearest
        checks.append(
            Check(
                text=match.group(0).strip(),
                name=name,
                snapshot_value=format_figure(name, value, language),
                placeholder=False,
                matches=written == value,
            )
        )
    return checks


def _nearest(
    written: int, figures: Mapping[str, int | None], percent: bool
) -> tuple[str, int] | None:
    """The snapshot figure a number written by hand is close to, if any: the equal one
    first, else the closest within 5 % (at least 2)."""
    candidates = [
        (name, value)
        for name, value in figures.items()
        if value is not None and name.startswith("share.") == percent
    ]
    close = [
        (abs(written - value), name, value)
        for name, value in candidates
        if abs(written - value) <= max(2, round(value * 0.05))
    ]
    if written < 10 or not close or (not percent and 1990 <= written <= 2100):
        return None
    _distance, name, value = min(close)
    return name, value
