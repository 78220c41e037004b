"""Screening measured on two labelled corpora of free texts beside this file.

screening_corpus.tsv (465 lines) was written first and used to tune the detector;
screening_holdout.tsv (375 lines) was written afterwards, by someone who had seen neither the
detector nor the first corpus, and measured once before any change (recall 0.995, false
alarms 0.000). Both are held to the same thresholds.

Each line is a text an editor might write, labelled `personal` (must be refused) or
`harmless` (must pass), with its language (az, en, ru) and category. Recall is the share of
personal texts that are refused; the false-alarm rate is the share of harmless texts that
are refused. Both are printed (pytest -s) and held to RECALL and FALSE_ALARMS overall and
for each language, listing the texts that were missed or wrongly refused when they are not.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from victims.screening import find_personal_data

CORPORA = {
    "corpus": Path(__file__).with_name("screening_corpus.tsv"),
    "holdout": Path(__file__).with_name("screening_holdout.tsv"),
}
RECALL = 0.95
FALSE_ALARMS = 0.05


@dataclass
class Line:
    label: str
    language: str
    category: str
    text: str


@dataclass
class Score:
    personal: list[Line] = field(default_factory=list)
    harmless: list[Line] = field(default_factory=list)
    missed: list[Line] = field(default_factory=list)
    false_alarms: list[Line] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return 1 - len(self.missed) / len(self.personal)

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / len(self.harmless)

    def summary(self, name: str) -> str:
        found = len(self.personal) - len(self.missed)
        return (
            f"{name}: recall {found}/{len(self.personal)} = {self.recall:.3f}, "
            f"false alarms {len(self.false_alarms)}/{len(self.harmless)} "
            f"= {self.false_alarm_rate:.3f}"
        )


def read_corpus(path: Path) -> list[Line]:
    with path.open(encoding="utf-8", newline="") as corpus:
        rows = list(csv.reader(corpus, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["label", "language", "category", "text"], rows[0]
    return [Line(*row) for row in rows[1:] if row]


LINES = {name: read_corpus(path) for name, path in CORPORA.items()}
LANGUAGES = ["az", "en", "ru"]


def score(lines: list[Line]) -> Score:
    result = Score()
    for line in lines:
        refused = bool(find_personal_data(line.text))
        if line.label == "personal":
            result.personal.append(line)
            if not refused:
                result.missed.append(line)
        else:
            result.harmless.append(line)
            if refused:
                result.false_alarms.append(line)
    return result


@pytest.mark.parametrize("corpus", CORPORA)
def test_the_corpus_is_labelled_personal_or_harmless_in_the_site_languages(corpus):
    lines = LINES[corpus]
    assert {line.label for line in lines} == {"personal", "harmless"}
    assert {line.language for line in lines} == set(LANGUAGES)
    assert sum(line.label == "personal" for line in lines) >= 150
    assert sum(line.label == "harmless" for line in lines) >= 150


@pytest.mark.parametrize("language", ["all", *LANGUAGES])
@pytest.mark.parametrize("corpus", CORPORA)
def test_screening_refuses_personal_texts_and_passes_harmless_ones(corpus, language):
    lines = [line for line in LINES[corpus] if language in ("all", line.language)]
    result = score(lines)
    print(result.summary(f"{corpus}, {language}"))

    assert result.recall >= RECALL, "missed:\n" + "\n".join(
        f"  {line.category}: {line.text}" for line in result.missed
    )
    assert result.false_alarm_rate <= FALSE_ALARMS, "refused:\n" + "\n".join(
        f"  {line.category}: {line.text} -> {[str(item) for item in find_personal_data(line.text)]}"
        for line in result.false_alarms
    )
