"""Figures a statement cites from a register snapshot: the placeholders in its body
([[killed.civilian]]), their rendering in the statement's language, the checks on save, and
the figure check a publisher sees before publishing.

The names are victims.snapshots.PLACEHOLDERS. A placeholder is rendered from the edition's
snapshot (immutable), so the published text, its canonical text and its SHA-256 always hold
the same numbers, whatever happens to the register afterwards.
"""

import difflib
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


def broken(body: str) -> list[str]:
    """Placeholders the reader would see as they are written: formatting inside the brackets
    ("[[<strong>killed</strong>]]"), or brackets left open."""
    text = html_to_text(body or "")
    inside = [name for name in PLACEHOLDER.findall(text) if name not in names_in(body)]
    opened = text.count("[[") != len(PLACEHOLDER.findall(text))
    found = [f"[[{name}]]" for name in dict.fromkeys(inside)]
    return [*found, "[["] if opened else found


def suggestion(name: str) -> str:
    close = difflib.get_close_matches(name, list(PLACEHOLDERS), n=1, cutoff=0.6)
    return close[0] if close else ""


def problems(
    body: str, figures: Mapping[str, int | None] | None, number: int | None
) -> list[tuple[str, str]]:
    """Why the body's placeholders cannot be rendered, as (field, message): formatting inside
    one, unknown names, no snapshot cited (said on the snapshot's field), or a figure the
    snapshot hides. Empty when they all can."""
    used = names_in(body)
    unknown = [name for name in used if name not in PLACEHOLDERS]
    errors: list[tuple[str, str]] = []
    damaged = broken(body)
    if damaged:
        message = _(
            "Write each figure placeholder in one piece, with no formatting or line break "
            "inside its brackets and both pairs of brackets: %(names)s."
        )
        errors.append(("body", message % {"names": ", ".join(damaged)}))
    for name in unknown:
        near = suggestion(name)
        if near:
            message = _("Unknown figure placeholder [[%(name)s]]: did you mean [[%(near)s]]?")
            errors.append(("body", message % {"name": name, "near": near}))
    if unknown:
        message = _("Unknown figure placeholder %(names)s. The placeholders are: %(valid)s.")
        names = ", ".join(f"[[{name}]]" for name in unknown)
        errors.append(("body", message % {"names": names, "valid": valid_names()}))
    known = [name for name in used if name in PLACEHOLDERS]
    if known and figures is None:
        message = _(
            "The text uses %(names)s but cites no register snapshot: choose the snapshot "
            "whose figures it gives."
        )
        names = ", ".join(f"[[{name}]]" for name in known)
        if not unknown:  # the list of names once, whichever message carries it
            message += " " + _("The placeholders are: %(valid)s.")
        errors.append(("figures_snapshot", message % {"names": names, "valid": valid_names()}))
    elif known and figures is not None:
        hidden = [name for name in known if figures.get(name) is None]
        if hidden:
            message = _(
                "Snapshot %(number)s hides %(names)s (too few people to publish, or a "
                "share of hidden figures): write the text without it."
            )
            names = ", ".join(f"[[{name}]]" for name in hidden)
            errors.append(("body", message % {"number": number, "names": names}))
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


def in_plain_fields(**fields: str) -> dict[str, str]:
    """For each plain-text field (title, summary…) holding a placeholder, why it is refused:
    figures are cited in the body only, where they are rendered."""
    return {
        name: _(
            "Figure placeholders such as [[killed]] are rendered in the body only: write the "
            "number here, or move it to the body."
        )
        for name, value in fields.items()
        if "[[" in (value or "")
    }


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

# What a number written by hand counts, read from the words around it, in each language: word
# stems (matched at the start of a word, case-insensitive).
OUTCOME_WORDS = {
    "killed": [
        "killed",
        "died",
        "dead",
        "death",
        "lost their li",
        "həlak",
        "öldü",
        "ölüb",
        "погиб",
        "убит",
        "смерт",
    ],
    "injured": ["injur", "wounded", "maimed", "yaral", "xəsarət", "ранен", "ранены", "травм"],
}
STATUS_WORDS = {
    "civilian": ["civilian", "mülki", "мирн", "гражданск"],
    "military": [
        "military",
        "servicem",
        "soldier",
        "service personnel",
        "security",
        "hərbçi",
        "hərbi",
        "военн",
        "силов",
    ],
    "deminer": ["deminer", "minatəmizləy", "сапёр", "сапер"],
}
OTHER_WORDS = {
    "children": ["child", "uşaq", "дет", "ребён", "ребен"],
    "women_and_girls": ["women", "girls", "qadın", "qız", "женщин", "девоч"],
    "incidents": [
        "incident",
        "explosion",
        "cases",
        "hadisə",
        "partlayış",
        "инцидент",
        "взрыв",
        "случа",
    ],
    "casualties": [
        "people",
        "persons",
        "casualt",
        "victim",
        "harmed",
        "nəfər",
        "zərərçək",
        "qurban",
        "insan",
        "человек",
        "пострадав",
        "жертв",
        "люд",
    ],
}
SHARE_WORDS = {
    "outside_contact_line": [
        "contact line",
        "line of contact",
        "təmas xətt",
        "линии соприкосновения",
    ],
    "outside_mapped_areas": [
        "map",
        "minefield information",
        "xəritə",
        "minalanmış sahə",
        "карт",
        "минных пол",
    ],
}
RECENT_WORDS = [
    "last year",
    "past year",
    "recent",
    "son il",
    "son hadisə",
    "последний год",
    "за год",
    "недавн",
]
SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]?")


def _words_at(text: str, stems: list[str]) -> list[int]:
    """Where in `text` (character offsets) a word starts with one of `stems`."""
    lowered = text.lower()
    return [
        match.start()
        for stem in stems
        for match in re.finditer(r"(?<!\w)" + re.escape(stem), lowered)
    ]


def _nearest_kind(text: str, position: int, kinds: dict[str, list[str]]) -> str | None:
    """The kind whose word is nearest to `position` in `text`, if any."""
    found = [
        (abs(offset - position), kind)
        for kind, stems in kinds.items()
        for offset in _words_at(text, stems)
    ]
    return min(found)[1] if found else None


def _right_after(text: str, end: int, kinds: dict[str, list[str]], words: int = 3) -> str | None:
    """The kind of a word among the few right after a number ("50 civilians", "15
    военнослужащих", "350 nəfər")."""
    following = " ".join(text[end:].split()[:words])
    return _nearest_kind(following, 0, kinds)


def counted_by(
    sentence: str, start: int, end: int, percent: bool, limit: int | None = None
) -> str | None:
    """The placeholder a number written by hand in `sentence` (at start:end) stands for, read
    from the words around it; None when it does not count people or incidents of the
    register (a year, a date, "2,700 mines", "25 per cent accurate"). Words about the outcome
    count from the start of the sentence up to the next number (`limit`): in "350 people
    were harmed and 65 of them killed", "killed" is the 65's."""
    recent = bool(_words_at(sentence, RECENT_WORDS))
    if percent:
        share = _nearest_kind(sentence, start, SHARE_WORDS)
        if share is None or not _of_incidents(sentence, start, end):
            return None
        return f"share.{share}" + (".last_year" if recent else "")
    status = _right_after(sentence, end, STATUS_WORDS)
    other = _right_after(sentence, end, OTHER_WORDS)
    outcome_near = _right_after(sentence, end, OUTCOME_WORDS, words=5)
    if status is None and other is None and outcome_near is None:
        return None
    if other in ("children", "women_and_girls", "incidents") and status is None:
        return other
    outcome = _nearest_kind(sentence[: limit or len(sentence)], start, OUTCOME_WORDS)
    if status is not None:
        return (
            f"{outcome}.{status}"
            if outcome
            else {"civilian": "civilians", "military": "military", "deminer": "deminers"}[status]
        )
    return outcome or "casualties"


# "More than 55 per cent", "about 350": a number written with one of these words agrees with
# a figure above it, below it, or within 5 % of it.
MORE_THAN = ["more than", "over", "at least", "above", "более", "свыше", "больше", "не менее"]
LESS_THAN = ["less than", "fewer than", "under", "below", "менее", "меньше", "не более"]
ABOUT = [
    "about",
    "around",
    "nearly",
    "almost",
    "approximately",
    "some",
    "около",
    "примерно",
    "почти",
    "порядка",
    "təxminən",
    "təqribən",
    "yaxın",
]
MORE_THAN_AFTER = ["çox", "artıq"]  # az: "55 faizdən çoxu"


def agrees(sentence: str, start: int, end: int, written: int, value: int) -> bool:
    """Whether a number written by hand agrees with the snapshot's figure, reading "more
    than", "about" and the like before it (or Azerbaijani "…dan çox" after it)."""
    before = " ".join(sentence[:start].split()[-3:])
    after = " ".join(sentence[end:].split()[:2])
    if _words_at(before, MORE_THAN) or _words_at(after, MORE_THAN_AFTER):
        return value > written
    if _words_at(before, LESS_THAN):
        return value < written
    if _words_at(before, ABOUT):
        return abs(value - written) <= max(1, round(value * 0.05))
    return value == written


OF_INCIDENTS = ["of", "из", "hadisə", "случа", "инцидент", "incident", "cases"]


def _of_incidents(sentence: str, start: int, end: int) -> bool:
    """Whether a per cent is a share of incidents ("72% of incidents", "81 % случаев",
    "hadisələrin 55 faizi"), not of something else ("about 25 per cent accurate")."""
    after = " ".join(sentence[end:].split()[:4])
    before = " ".join(sentence[:start].split()[-2:])
    return bool(_words_at(after, OF_INCIDENTS) or _words_at(before, OF_INCIDENTS[2:]))


@dataclass(frozen=True)
class Check:
    """One figure of the text beside the snapshot's: a placeholder, or a number written by
    hand with the sentence it is in; `matches` False for one that contradicts the snapshot."""

    text: str
    name: str
    snapshot_value: str
    placeholder: bool
    matches: bool
    context: str = ""


def _as_int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def figure_check(body: str, figures: Mapping[str, int | None] | None, language: str) -> list[Check]:
    """Every figure of the text beside the snapshot's value: each placeholder, and each
    number written by hand that counts people or incidents of the register, read from the
    words around it ("50 civilians were killed" is [[killed.civilian]]; "65 of them were
    killed" is [[killed]]; "more than 55 per cent of recent cases outside the mapped areas"
    is [[share.outside_mapped_areas.last_year]]). Equal is a match (a placeholder would keep
    it right), and so is "more than 55 per cent" of 81 %; anything else contradicts the
    snapshot, and the publisher must confirm it. Years, dates and numbers of other things
    (2,700 mines, 25 per cent accuracy) are not checked: a number whose words do not say
    what it counts is left alone rather than matched to whichever figure it equals."""
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
    text = html_to_text(PLACEHOLDER.sub(" [figure] ", body or ""))
    for sentence in SENTENCE.findall(text):
        checks += _hand_written(sentence.strip(), figures, language)
    return checks


def _hand_written(sentence: str, figures: Mapping[str, int | None], language: str) -> list[Check]:
    checks = []
    numbers = list(NUMBER.finditer(sentence))
    for index, match in enumerate(numbers):
        written = _as_int(match.group(2))
        after = sentence[match.end() : match.end() + 12]
        percent = bool(match.group(1) or match.group(3) or PERCENT_WORDS.match(after))
        if not percent and 1900 <= written <= 2100 and "," not in match.group(2):
            continue  # a year
        following = numbers[index + 1].start() if index + 1 < len(numbers) else None
        name = counted_by(sentence, match.start(), match.end(), percent, following)
        value = figures.get(name) if name is not None else None
        if name is None or value is None:
            continue
        checks.append(
            Check(
                text=match.group(0).strip(),
                name=name,
                snapshot_value=format_figure(name, value, language),
                placeholder=False,
                matches=agrees(sentence, match.start(), match.end(), written, value),
                context=sentence,
            )
        )
    return checks
