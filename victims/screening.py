"""Screening of the register's free text for personal data.

The register is anonymised by design (DOMAIN.md §2): no names, ID numbers, birth dates,
addresses, phone numbers. Its few free-text fields (source reference, internal note, device
model) are screened on every save; text that looks like personal data is refused, naming
what was found. One function, `find_personal_data`, used by the models, the admin, the
import and the commands.

What counts, in English, Azerbaijani and Russian (Latin and Cyrillic), and what deliberately
does not:
- e-mail addresses;
- phone numbers: 9 or more digits written as a phone number (+994 50 123 45 67,
  050-123-45-67, (012) 555-55-55);
- national ID card numbers (AZE12345678, AA1234567) and FIN-like personal codes: a
  standalone 7-character mix of capital letters and digits (5ZK8L9M);
- passport numbers: a number after "passport", "pasport", "паспорт" (C 01234567,
  серия 45 06 № 123456), or a letter and 7 or 8 digits on their own (P1234567);
- full dates (day, month and year) outside the register's period — from the start of the
  2020 hostilities to today, where dates are incident or report dates — since they could be
  birth dates (12.03.1985, 1985-03-12, 12 March 1985, March 12, 1985, 12th of March 1985,
  12 mart 1985-ci il, 12 марта 1985 г.); and any year said to be a year of birth
  (1985 г.р., born in 1985, 1985-ci il təvəllüdlü);
- map coordinates: decimal pairs (40.12345, 46.65432), with hemisphere letters
  (40.1234 N, 46.5678 E) or in degrees, minutes and seconds (40°7′21″): an exact place can
  identify a home;
- street addresses: a street, avenue, küçə, prospekt, улица… with a house number, in either
  order (14 Baker Street, Nizami küç. 45, ул. Ленина, д. 5), and flat or house numbers
  (mənzil 12, кв. 17);
- personal names: a first name with a surname or an initial (Rauf Həsənov, Anna Smith,
  Rauf H.), a surname with an initial (R. Hasanov, Петрова А.В.), a patronymic (Rauf oğlu,
  Həsən qızı, Петрович, Ivanovna), a title (Mr Brown, Mrs. K. Allen, гражданин Петров), a
  surname by its Azerbaijani or Russian ending (Həsənov, Quliyeva, Əlizadə, Гасанов), or a
  first name on its own (Elvin). First names come from hand-curated lists in victims/data/
  (see its docstring for why no name package is used);
- long digit runs: 8 or more digits in a row.
Place names (Laçın, Qubadlı, Soltanlı, Лачин, Fuzuli…: victims/data/places.txt, from the
ISO 3166-2 subdivisions the gazetteer is loaded from), organisations (ANAMA, HALO Trust,
МИД), device models (PMN-2, OZM-72, TM-62M), short references (MFA press release 45/2024,
ANAMA report 2023/17, № 12/345) and roads described by a place (Lachin road, km 12) pass.
Names that are part of an institution or a street (Heydar Aliyev Foundation, Nizami küçəsi,
проспект Гейдара Алиева) pass too.

Each finding is one short translatable message naming the category; for names, addresses,
passports and years of birth it quotes the phrase, so that the editor sees what to remove.
The regular expressions are compiled once and the word lists loaded once, on first use: a
typical 100-character text is screened in well under a millisecond.
"""

import datetime
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from victims.data import read_words

REGISTER_PERIOD_START = datetime.date(2020, 9, 27)

EMAIL_FOUND = _("an e-mail address")
PHONE_FOUND = _("a phone number")
ID_CARD_FOUND = _("an ID card number")
FIN_FOUND = _("a personal code (FIN-like)")
PASSPORT_FOUND = _("a passport number")
DATE_FOUND = _("a full date that could be a birth date")
BIRTH_YEAR_FOUND = _("a year of birth")
COORDINATES_FOUND = _("map coordinates")
ADDRESS_FOUND = _("a street address")
NAME_FOUND = _("a personal name")
DIGIT_RUN_FOUND = _("a long run of digits")
# Findings that quote the phrase that triggered them, at most this many times each.
QUOTED = {PASSPORT_FOUND, BIRTH_YEAR_FOUND, ADDRESS_FOUND, NAME_FOUND}
QUOTES_PER_FINDING = 3
QUOTE_LENGTH = 40

# Letters of the three languages, as character-class ranges.
UPPER = "A-ZÀ-ÖØ-ÞƏĞİŞÇÜÖА-ЯЁ"
WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
CAPITALISED_WORD = rf"[{UPPER}][^\W\d_]*(?:['’-][^\W\d_]+)*"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/])(\+?\(?\d[\d\s().-]{7,}\d)(?![\w/])")
ID_CARD = re.compile(r"\b(AZE\s?\d{8}|[A-Z]{2}\d{7})\b")
FIN = re.compile(r"\b(?=[A-Z0-9]{7}\b)(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{7}\b")
DIGIT_RUN = re.compile(r"\d{8,}")

PASSPORT = re.compile(
    r"(?i:\b(?:passports?|pasport\w*|паспорт\w*|серия|seriya|series|ş/v|"
    r"şəxsiyyət\s+vəsiqə\w*|удостоверени\w+\s+личности))"
    r"[^\n\d]{0,25}?"
    r"(?:[A-ZА-ЯЁ]{1,3}[\s-]?\d{6,9}"
    r"|\d{2}\s?\d{2}[,;]?\s*(?i:№|N|No\.?|номер|nömrə|number)?\s*\d{6}|\d{6,10})\b"
    r"|\b[A-Z]\s?\d{7,8}\b"
    r"|\b[A-Z]{2}\s\d{7}\b"
    r"|\b[IVXL]{1,4}-[А-ЯЁ]{2}\s*№?\s*\d{6}\b"
)

# Month names: English (with abbreviations), Azerbaijani (with the genitive -ın/-in/-un/-ün
# and the locative), Russian (genitive, nominative, abbreviations).
MONTH_NAMES = {
    1: "january jan yanvar yanvarın января январь янв",
    2: "february feb fevral fevralın февраля февраль фев февр",
    3: "march mar mart martın марта март",
    4: "april apr aprel aprelin апреля апрель апр",
    5: "may mayın мая май",
    6: "june jun iyun iyunun июня июнь июн",
    7: "july jul iyul iyulun июля июль июл",
    8: "august aug avqust avqustun августа август авг",
    9: "september sept sep sentyabr sentyabrın сентября сентябрь сен сент",
    10: "october oct oktyabr oktyabrın октября октябрь окт",
    11: "november nov noyabr noyabrın ноября ноябрь ноя нояб",
    12: "december dec dekabr dekabrın декабря декабрь дек",
}
MONTH_NUMBERS = {name: number for number, names in MONTH_NAMES.items() for name in names.split()}
# Any word where a month can stand, checked against MONTH_NUMBERS afterwards: one word
# pattern is several times faster than an alternation of sixty names.
MONTH = r"([^\W\d_]{3,10})\.?(?![^\W\d_])"
FOUR_DIGITS = re.compile(r"\d{4}")
DAY = r"(\d{1,2})(?:-?(?:st|nd|rd|th|ci|cı|cu|cü|si|sı|su|sü|də|da|i|ı|u|ü|e|го|е|ого)\b)?"
YEAR = r"(\d{4})(?!\d)"
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})[-./](\d{1,2})[-./](\d{1,2})\b")
# 12 March 1985, 12th of March, 1985, 12 mart 1985-ci il, 12 марта 1985 г.
DAY_MONTH_YEAR = re.compile(rf"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}", re.IGNORECASE)
# March 12, 1985; Mar 12th 1985
MONTH_DAY_YEAR = re.compile(rf"\b{MONTH}\s+{DAY},?\s+{YEAR}", re.IGNORECASE)
# 1985-ci il 12 mart; 1985-ci ilin martın 12-si; 1985, March 12
YEAR_DAY_MONTH = re.compile(
    rf"\b{YEAR}(?:-?(?:ci|cı|cu|cü))?\s+(?:il(?:in|də)?\s+)?{DAY}\s+{MONTH}", re.IGNORECASE
)
YEAR_MONTH_DAY = re.compile(
    rf"\b{YEAR}(?:-?(?:ci|cı|cu|cü))?,?\s+(?:il(?:in|də)?\s+)?{MONTH}\s+{DAY}(?!\s*\d)",
    re.IGNORECASE,
)
BIRTH_YEAR = re.compile(
    r"(?i:\b(?:born(?:\s+(?:in|on))?|b\.|d\.\s?o\.\s?b\.?|dob|date\s+of\s+birth|"
    r"year\s+of\s+birth|yob|родил(?:ся|ась)(?:\s+в)?|рожд\.|дата\s+рождения|год\s+рождения|"
    r"doğum\s+(?:tarixi|ili)|doğulub|doğulmuşdur|anadan\s+olub|təvəllüd(?:ü|lü)?)"
    r"\s*[:–-]?\s*(?:[^\W\d_]+\s+){0,2}?(?:19|20)\d\d(?!\d))"
    r"|(?i:\b(?:19|20)\d\d(?:\s*-?\s?(?:ci|cı|cu|cü)\s+il(?:də|in)?)?\s*"
    r"(?:г\.\s?р\.|г\.?р\b|года?\s+рождения|г\.\s*рожд\.|təvəllüdlü|doğumlu|"
    r"anadan\s+ol\w*|doğul\w*|-born))"
)

DECIMAL = r"\d{1,3}[.,]\d{2,}"
COORDINATES = re.compile(
    r"\b-?\d{1,3}\.\d{4,}\s*[,;]?\s*-?\d{1,3}\.\d{4,}\b"
    rf"|\b{DECIMAL}\s*°?\s*(?:[NS]|с\.\s?ш\.?)(?![^\W\d_])[\s,;/]*{DECIMAL}\s*°?\s*"
    r"(?:[EW]|в\.\s?д\.?)(?![^\W\d_])"
    rf"|\b[NS]\s*{DECIMAL}\s*°?[\s,;/]*[EW]\s*{DECIMAL}"
    rf"|\b{DECIMAL}\s*°[\s,;/]+{DECIMAL}\s*°"
    # coordinates given as such, even to two decimals (about a kilometre): GPS 40.12, 46.51
    rf"|(?i:\b(?:gps|coordinates|coords|koordinat\w*|координат\w*)\W{{0,12}}"
    rf"\d{{1,3}}[.,]\d{{2,}}\s*°?\s*[NS]?\s*[,;/\s]\s*\d{{1,3}}[.,]\d{{2,}})"
    # lat 40.3321 lon 46.9912; enlik 40.22, uzunluq 46.44; широта 39.91, долгота 46.82
    rf"|(?i:\b(?:lat|latitude|enlik|en|широта|шир)\b\.?\s*[:=]?\s*-?{DECIMAL}\s*°?[\s,;/]*"
    rf"(?:lon|lng|long|longitude|uzunluq|uz|долгота|долг|дол)\b\.?\s*[:=]?\s*-?{DECIMAL})"
)
DEGREES_MINUTES = re.compile(
    r"(?P<before>\b[NSEW]\s*)?\d{1,3}\s*°\s*\d{1,2}(?:[.,]\d+)?\s*['′’]"
    r"(?P<seconds>\s*\d{1,2}(?:[.,]\d+)?\s*(?:[\"″”]|''|′′))?"
    r"(?P<after>\s*[NSEW](?![^\W\d_]))?"
)

# A house number: 45, 45A, 45/2, after an optional "д.", "No", "№"; not a distance (km 12,
# 12 m, 12-ci km) nor part of a longer number or reference.
HOUSE_NUMBER = (
    r",?\s*(?:(?:д|дом|No|Nr|no|№|#|ev|bina|house)\.?\s*)?"
    r"\d{1,4}(?:\s?[a-zA-Zа-яА-Я](?![^\W\d_]))?(?:/\d{1,4})?"
    r"(?![\d.,/]\d|\s*(?:km|m|metr\w*|meter\w*|metre\w*|км|м|%)(?![^\W\d_]))"
    r"(?!-?(?:ci|cı|cu|cü|th|st|nd|rd)\b)"
)
STREET_NAME = rf"(?:{CAPITALISED_WORD}\s+){{0,2}}{CAPITALISED_WORD}"
STREET_BEFORE_NAME = (
    r"(?:\b(?:ул|пр|просп|пр-т|пер|пл|бул|б-р|мкр|küç|kuc|str)\.|(?i:\b(?:улиц[аеы]|"
    r"проспект[аеу]?|переул(?:ок|ке)|бульвар[аеу]?|шоссе|площад[ьи]|микрорайон[аеу]?)))"
)
STREET_AFTER_NAME = (
    r"(?:\b(?:Street|St|Str|Road|Rd|Avenue|Ave|Av|Lane|Ln|Boulevard|Blvd|Drive)\b\.?|"
    r"(?i:\b(?:street|str\.|avenue|ave\.|küç\.|küçə(?:si)?|kuc\.|kuce(?:si)?|kuchesi|"
    r"prospekti|prospekt|pr\.|prosp\.|pr-ti|pr-t|döngəsi|dongesi|dalanı|dalani)))"
)
UNIT = (
    r"(?i:\b(?:mənzil|menzil|mənz\.|kv\.|кв\.|квартир[аеы]|apt\.?|apartment|flat|ev|house|"
    r"дом|bina|корп\.|корпус))"
)
ADDRESS = re.compile(
    rf"{STREET_BEFORE_NAME}\s*{STREET_NAME}{HOUSE_NUMBER}"
    rf"|{STREET_NAME}\s+{STREET_AFTER_NAME}{HOUSE_NUMBER}"
    rf"|\b\d{{1,4}}[a-zA-Z]?,?\s+{STREET_NAME}\s+{STREET_AFTER_NAME}(?![^\W\d_])"
    rf"|{UNIT}\s*(?:No\.?|№|#)?\s*\d{{1,4}}(?:\s?[a-zA-Zа-яА-Я](?![^\W\d_]))?"
    r"(?![\d.,/]\d|\s*(?:km|m|metr\w*|meter\w*|metre\w*|км|м|%|"
    r"nəfər|people|persons|человек)(?![^\W\d_]))"
)

# Names
TOKEN = re.compile(WORD)
TITLE_BEFORE = re.compile(
    r"(?:(?i:\b(?:mr|mrs|ms|mx|dr)\b)\.?|\b(?:Miss|Prof|Sir|Dame|Madam|Mister|Mme|Mlle|Sgt|Lt|Capt|Col|Cpl|"
    r"Pte|Sergeant|Lieutenant|Captain|Colonel|Corporal)\.?"
    r"|(?i:\b(?:граждан(?:ин|ина|ину|ином|ине|ка|ки|ке|ку|кой)|гр\.|господин[аеу]?|"
    r"госпож[аеиу]|г-н|г-жа|тов\.|товарищ[аеу]?|рядов(?:ой|ого|ому)|сержант[аеу]?|"
    r"лейтенант[аеу]?|капитан[аеу]?|майор[аеу]?|полковник[аеу]?|vətəndaş\w*|cənab\w*|"
    r"əsgər|çavuş|gizir|leytenant|kapitan|polkovnik)))\s*$"
)
PREVIOUS_WORD = re.compile(rf"({WORD})[ \t]+$")
NEXT_WORD = re.compile(rf"[ \t]+({WORD})")
INSTITUTION_BEFORE = re.compile(
    r"(?:\b(?:ул|пр|просп|пр-т|им|пер|пл|küç|str)\.|(?i:\bnamed\s+after|\bимени))\s*$"
)
PATRONYMIC_MARKERS = frozenset(
    [
        "oğlu",
        "oglu",
        "ogly",
        "oğlı",
        "qızı",
        "qizi",
        "kizi",
        "kyzy",
        "gizi",
        "gyzy",
        "оглы",
        "оглу",
        "кызы",
        "гызы",
    ]
)
HONORIFICS_AFTER = frozenset(
    ["xanım", "xanim", "bəy", "bey", "müəllim", "muallim", "ханум", "бей", "муаллим"]
)
NAME_MARKERS = PATRONYMIC_MARKERS | HONORIFICS_AFTER  # Rauf oğlu, Aysel xanım
SENTENCE_END = re.compile(r"(?:[.!?…:;]\s*|\n\s*)$")
ABBREVIATION_END = re.compile(
    r"(?:\b[^\W\d_]{1,2}|\b(?:ул|пер|просп|küç|str|тов|гр|им|обл|пос|дер|кв|No|Nr))\.\s*$"
)
PATRONYMIC = re.compile(
    r"(?:ович|евич|овна|евна|ична|ичн[аоыуе]|ович[аеуы]|евич[аеуы]|овн[аеыуо]|евн[аеыуо]|"
    r"ovich|evich|ovna|evna|ovič|evič|ovych|ivna)(?:ем|ом|ой)?$"
)
UNCAPITALISED_PATRONYMIC = re.compile(r"^[а-яё]{3,}(?:ович|евич)(?:а|у|ем|е)?$")
STRONG_SURNAME = re.compile(
    r"^[^\W\d_]{3,}(?:ov|ev|öv|yev)(?:a|u|un|dan|da|la|lar|larin|s)?$"
    r"|^[^\W\d_]{3,}(?:zadə|zade|zada)(?:nin|yə|dən|ni)?$"
    r"|^[^\W\d_]{2,}(?:ов|ев|ёв)(?:а|у|ым|е|ой|ою|ых|ыми)?$"
    r"|^[^\W\d_]{2,}заде$"
    r"|^[^\W\d_]{3,}(?:enko|енко)$"
)
WEAK_SURNAME = re.compile(
    r"^[^\W\d_]{3,}(?:in|ina|yn|yna|li|lı|lu|lü|ly|ski|sky|skiy|ska|skaya|uk|yuk|yan|ian|"
    r"shvili|dze)$"
    r"|^[^\W\d_]{2,}(?:ин|ын)(?:а|у|ым|е|ой|ых)?$"
    r"|^[^\W\d_]{2,}(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую)$"
    r"|^[^\W\d_]{3,}(?:ли|лы|ян|ук|юк)$"
)
NOT_NAMES = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "bazar",
        "ertəsi",
    ]
) | frozenset(MONTH_NUMBERS)
# Endings that make a place name into a case form or an adjective: Laçında, Füzulidən,
# Ağdamlı, Лачине, Агдамский, Физулинского.
AZ_ENDINGS = re.compile(
    r"^'?(?:[dt][aə]n?|n?[ıiuü]n|n?[ıiuü]|y?[aə]|l[ıiuü](?:l[aə]r)?(?:[ıiuü]n)?|d[aə]k[ıi]|"
    r"l[aə]r?|s[ıi]|d[aə]n|n[ıi]n)$"
)
RU_ENDINGS = re.compile(
    r"^(?:[аяуюеиыь]|ом|ем|ой|ей|ою|ах|ях|ам|ям|ами|ями|(?:и?н|е)?ск(?:ий|ого|ому|им|ом|ая|"
    r"ой|ую|ое|ие|их|ими)|цы|ец|цев|ца)$"
)
RU_ADJECTIVE = re.compile(r"^(?:ь|и?н|е)?ск(?:ий|ого|ому|им|ом|ая|ой|ую|ое|ие|их|ими)$")
EN_ENDINGS = re.compile(r"^(?:'s|’s|s|i|ly|li)$")


def find_personal_data(text: str | None) -> list[str | Promise]:
    """What in `text` looks like personal data, as messages for the editor; [] if nothing."""
    if not text:
        return []
    kept: list[_Hit] = []
    for hit in _hits(text):
        if not any(hit.start < other.end and other.start < hit.end for other in kept):
            kept.append(hit)
    return _messages(text, kept)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    finding: Promise


def _hits(text: str) -> Iterator[_Hit]:
    """Everything found, the more specific findings first: a later hit that overlaps an
    earlier one is the same thing seen less well (the digits of a passport number are not
    also a long run of digits)."""
    yield from _pattern_hits(EMAIL, text, EMAIL_FOUND)
    identity = list(_pattern_hits(ID_CARD, text, ID_CARD_FOUND))
    yield from identity
    if not identity:
        yield from _pattern_hits(FIN, text, FIN_FOUND)
    yield from _pattern_hits(PASSPORT, text, PASSPORT_FOUND)
    for start, end, year, month, day in _dates(text):
        if _outside_register_period(year, month, day):
            yield _Hit(start, end, DATE_FOUND)
    yield from _pattern_hits(BIRTH_YEAR, text, BIRTH_YEAR_FOUND)
    for start, end in _coordinates(text):
        yield _Hit(start, end, COORDINATES_FOUND)
    for match in PHONE.finditer(text):
        if _looks_like_phone(match.group(1)):
            yield _Hit(match.start(1), match.end(1), PHONE_FOUND)
    yield from _pattern_hits(ADDRESS, text, ADDRESS_FOUND)
    for start, end in _names(text):
        yield _Hit(start, end, NAME_FOUND)
    yield from _pattern_hits(DIGIT_RUN, text, DIGIT_RUN_FOUND)


def _pattern_hits(pattern, text: str, finding: Promise) -> Iterator[_Hit]:
    for match in pattern.finditer(text):
        yield _Hit(match.start(), match.end(), finding)


def _messages(text: str, hits: list[_Hit]) -> list[str | Promise]:
    """One message per finding, in a fixed order; quoting findings name their phrase,
    neighbouring hits of the same finding ("Nizami küç. 45, mənzil 12") as one."""
    order = [
        EMAIL_FOUND,
        PHONE_FOUND,
        ID_CARD_FOUND,
        FIN_FOUND,
        PASSPORT_FOUND,
        DATE_FOUND,
        BIRTH_YEAR_FOUND,
        COORDINATES_FOUND,
        ADDRESS_FOUND,
        NAME_FOUND,
        DIGIT_RUN_FOUND,
    ]
    messages: list[str | Promise] = []
    for finding in order:
        spans = sorted((hit.start, hit.end) for hit in hits if hit.finding is finding)
        if not spans:
            continue
        if finding not in QUOTED:
            messages.append(finding)
            continue
        merged = [list(spans[0])]
        for start, end in spans[1:]:
            if not text[merged[-1][1] : start].strip(" ,;"):
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in merged[:QUOTES_PER_FINDING]:
            phrase = " ".join(text[start:end].split())
            if len(phrase) > QUOTE_LENGTH:
                phrase = phrase[: QUOTE_LENGTH - 1] + "…"
            messages.append(format_lazy(_("{finding} “{phrase}”"), finding=finding, phrase=phrase))
    return messages


def _dates(text: str) -> Iterator[tuple[int, int, int, int, int]]:
    """Full dates as (start, end, year, month, day). A numeric date that is impossible as
    day/month is read as month/day (03/25/1985)."""
    for match in NUMERIC_DATE.finditer(text):
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        month, day = (second, first) if second <= 12 else (first, second)
        yield match.start(), match.end(), year, month, day
    for match in ISO_DATE.finditer(text):
        year, month, day = (int(group) for group in match.groups())
        yield match.start(), match.end(), year, month, day
    if not FOUR_DIGITS.search(text):
        return
    for pattern, day_group, month_group, year_group in (
        (DAY_MONTH_YEAR, 1, 2, 3),
        (MONTH_DAY_YEAR, 2, 1, 3),
        (YEAR_DAY_MONTH, 2, 3, 1),
        (YEAR_MONTH_DAY, 3, 2, 1),
    ):
        for match in pattern.finditer(text):
            named = MONTH_NUMBERS.get(match.group(month_group).lower())
            if named is None:
                continue
            year, day = int(match.group(year_group)), int(match.group(day_group))
            yield match.start(), match.end(), year, named, day


def _outside_register_period(year: int, month: int, day: int) -> bool:
    try:
        found = datetime.date(year, month, day)
    except ValueError:
        return False  # not a date at all
    return not (REGISTER_PERIOD_START <= found <= timezone.localdate())


def _looks_like_phone(candidate: str) -> bool:
    """9 to 13 digits written as a phone number: with +, brackets or separators, or starting
    with 0 or the 994 country code."""
    digits = re.sub(r"\D", "", candidate)
    if not 9 <= len(digits) <= 13:
        return False
    return bool(re.search(r"[\s().+-]", candidate)) or digits.startswith(("0", "994"))


def _coordinates(text: str) -> Iterator[tuple[int, int]]:
    """Decimal pairs, and degrees with minutes: one with seconds or a hemisphere letter is
    exact enough, two without are a pair."""
    for match in COORDINATES.finditer(text):
        yield match.start(), match.end()
    plain = []
    for match in DEGREES_MINUTES.finditer(text):
        if match.group("seconds") or match.group("before") or match.group("after"):
            yield match.start(), match.end()
        else:
            plain.append((match.start(), match.end()))
    if len(plain) >= 2:
        yield plain[0][0], plain[-1][1]


# Names ----------------------------------------------------------------------------------


@dataclass
class _Token:
    text: str
    index: int
    start: int
    end: int
    initial: bool  # a capital letter followed by a full stop: R. Hasanov, Петрова А.В.
    sentence_start: bool
    kind: "_WordKind"


@dataclass(frozen=True)
class _WordKind:
    capitalised: bool  # Title case, or all capitals (HASANOV)
    all_capitals: bool
    place: bool
    organisation: bool
    institution: bool
    first_name: bool
    name_like: bool  # a first name that is also an ordinary word
    strong_surname: bool  # Həsənov, Quliyeva, Əlizadə, Гасанов, Shevchenko
    weak_surname: bool  # Məmmədli, Pushkin, Петровский, Smith: only with a first name
    listed_surname: bool  # in the list of English surnames
    patronymic: bool  # Petrovich, Ивановна
    latin: bool

    @property
    def candidate(self) -> bool:
        """Could be part of a person's name."""
        return self.capitalised and not (self.place or self.organisation or self.institution)


def _names(text: str) -> list[tuple[int, int]]:
    """Spans of personal names, overlapping or neighbouring spans joined into one."""
    spans = sorted(_name_spans(text))
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and (start <= joined[-1][1] or text[joined[-1][1] : start].isspace()):
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def _name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Runs of adjacent capitalised words and initials that are not places, organisations or
    institutions, judged by the rules in the module docstring, and names written without
    capitals."""
    tokens = _tokens(text)
    yield from _uncapitalised_names(text, tokens)
    for group in _groups(text, tokens):
        following = _following(tokens, group[-1])
        marked = (
            following is not None
            and following.text.lower() in NAME_MARKERS
            and _adjacent(text, group[-1], following)
            and not group[-1].initial
            and (group[-1].kind.first_name or len(group) > 1 or not group[-1].sentence_start)
        )
        if marked or _is_name(text, group):
            before = text[max(0, group[0].start - 30) : group[0].start]
            title = TITLE_BEFORE.search(before)
            start = group[0].start - len(before) + title.start() if title else group[0].start
            if marked and following is not None:
                end = following.end
            else:
                end = group[-1].end + (1 if group[-1].initial else 0)
            yield start, end


def _following(tokens: list[_Token], token: _Token) -> "_Token | None":
    return tokens[token.index + 1] if token.index + 1 < len(tokens) else None


def _uncapitalised_names(text: str, tokens: list[_Token]) -> Iterator[tuple[int, int]]:
    """Names typed without capitals, where the words themselves say so: a first name next to
    a surname or patronymic (anar quliyev, владимир николаевич), a title before a name
    (mrs allen), an initial before a surname (r. hasanov), a patronymic (николаевич)."""
    for index, token in enumerate(tokens):
        kind = token.kind
        if kind.capitalised:
            continue
        if kind.patronymic and not kind.latin and UNCAPITALISED_PATRONYMIC.search(token.text):
            yield token.start, token.end
        previous = tokens[index - 1] if index else None
        if previous is None or not _adjacent(text, previous, token):
            continue
        if previous.initial or (
            len(previous.text) == 1 and text[previous.end : previous.end + 1] == "."
        ):
            if kind.strong_surname and not kind.place:
                yield previous.start, token.end
        elif (title := TITLE_BEFORE.search(text, max(0, token.start - 30), token.start)) and (
            kind.first_name or kind.strong_surname or kind.listed_surname
        ):
            yield title.start(), token.end
        elif not (kind.place or previous.kind.place):
            pair = (previous.kind, kind)
            for first, other in (pair, pair[::-1]):
                if (
                    (first.first_name or first.patronymic)
                    and not first.name_like
                    and (other.strong_surname or other.patronymic or other.listed_surname)
                ):
                    yield previous.start, token.end
                    break


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    first = len(text) - len(text.lstrip())
    for match in TOKEN.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        before = text[max(0, start - 12) : start]
        initial = len(word) == 1 and word.isupper() and text[end : end + 1] == "."
        tokens.append(
            _Token(
                text=word,
                index=len(tokens),
                start=start,
                end=end,
                initial=initial,
                sentence_start=start == first
                or bool(SENTENCE_END.search(before) and not ABBREVIATION_END.search(before)),
                kind=_word_kind(word),
            )
        )
    return tokens


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """Only spaces between (a full stop after an initial): one run of a name."""
    gap = text[left.end : right.start]
    if len(left.text) == 1:
        gap = gap[1:] if gap.startswith(".") else gap
    return len(gap) <= 3 and ((gap == "" and left.initial) or (gap.isspace() and "\n" not in gap))


def _groups(text: str, tokens: list[_Token]) -> Iterator[list[_Token]]:
    group: list[_Token] = []
    for token in tokens:
        if token.initial or (
            token.kind.candidate
            and token.text.lower() not in NOT_NAMES
            and not TITLE_BEFORE.search(token.text + " ")
        ):
            if group and not _adjacent(text, group[-1], token):
                yield group
                group = []
            group.append(token)
        elif group:
            yield _trimmed(group)
            group = []
    if group:
        yield _trimmed(group)


def _trimmed(group: list[_Token]) -> list[_Token]:
    """Without a capitalised first word of a sentence that is no part of a name: "Сапёр
    Бабаев", "Yaralı Həsənov Elvin"."""
    first = group[0].kind
    if (
        any(not token.initial for token in group[1:])
        and group[0].sentence_start
        and not group[0].initial
        and not (first.first_name or first.strong_surname)
        and not (first.weak_surname and group[1].kind.first_name)
        and not first.patronymic
    ):
        return group[1:]
    return group


def _is_name(text: str, group: list[_Token]) -> bool:
    words = [token for token in group if not token.initial]
    if not words:
        return False
    initials = len(group) - len(words)
    before = text[max(0, group[0].start - 30) : group[0].start]
    if TITLE_BEFORE.search(before):
        return True
    if any(token.kind.patronymic for token in words):
        return True
    previous = PREVIOUS_WORD.search(before)
    following = NEXT_WORD.match(text, group[-1].end)
    if INSTITUTION_BEFORE.search(before) or any(
        word is not None and _word_kind(word.group(1)).institution for word in (previous, following)
    ):
        return False
    surnames = [token for token in words if token.kind.strong_surname or token.kind.weak_surname]
    if initials and (surnames or any(token.kind.first_name for token in words) or initials > 1):
        return True
    first_names = [token for token in words if token.kind.first_name]
    if first_names and len(group) > 1:
        return True
    # Russian capitalises only proper names: two capitalised words inside a sentence that are
    # no place or organisation are a name (переводчик Майкл Джонсон).
    if len(words) > 1 and not group[0].sentence_start and not any(t.kind.latin for t in words):
        return True
    for token in words:
        if token.kind.strong_surname and (token.kind.latin or not token.sentence_start):
            return True
    lone = words[0].kind
    return len(words) == 1 and lone.first_name and not (lone.name_like or lone.all_capitals)


@functools.lru_cache(maxsize=20000)
def _word_kind(word: str) -> _WordKind:
    # Rauf'un, John's: the name before a suffix; O'Connor, D'Souza: the whole word.
    bare = word if re.search(r"['’][A-Z]", word) else re.split(r"['’]", word, maxsplit=1)[0]
    key = _key(bare)
    all_capitals = bare.isupper() and len(bare) > 1
    capitalised = len(bare) > 1 and bare[0].isupper() and (not all_capitals or len(bare) >= 3)
    lists = _lists()
    latin = not re.search("[а-яё]", key)
    forms = list(_name_forms(key))
    first_name = any(form in lists.first_names for form in forms)
    strong = bool(STRONG_SURNAME.match(key)) and (not all_capitals or len(bare) >= 5)
    return _WordKind(
        capitalised=capitalised,
        all_capitals=all_capitals,
        place=_in_list(key, lists.places),
        organisation=key in lists.organisations or _key(word) in lists.organisations,
        institution=_in_list(key, lists.institutions),
        first_name=first_name,
        name_like=any(form in lists.name_like for form in forms),
        strong_surname=strong,
        weak_surname=bool(WEAK_SURNAME.match(key)) or key in lists.surnames,
        listed_surname=key in lists.surnames,
        patronymic=bool(PATRONYMIC.search(key)) and len(key) >= 6,
        latin=latin,
    )


def _key(word: str) -> str:
    """A case-insensitive key that also works for Azerbaijani's dotted and dotless i."""
    return word.replace("İ", "i").replace("I", "i").replace("ǝ", "ə").lower().replace("ı", "i")


def _name_forms(key: str) -> Iterator[str]:
    """The word and, for Cyrillic, the nominatives its case form could come from:
    Ивана → Иван, Анной → Анна, Сергея → Сергей, Игоря → Игорь."""
    yield key
    if key.endswith(("г", "к")):  # Azerbaijani q written either way: Тофик, Тофиг
        yield key[:-1] + ("к" if key.endswith("г") else "г")
    if re.search("[а-яё]$", key):
        for ending in ("ом", "ем", "ой", "ей", "ою", "ею"):
            if key.endswith(ending):
                stem = key[:-2]
                yield from (stem, stem + "а", stem + "я", stem + "й", stem + "ь")
        if key[-1] in "аяуюеиы":
            stem = key[:-1]
            yield from (stem, stem + "а", stem + "я", stem + "й", stem + "ь")


def _in_list(key: str, entries: frozenset[str]) -> bool:
    """`key` is an entry, or an entry with a case or adjective ending."""
    if key in entries:
        return True
    for length in range(len(key) - 1, 2, -1):
        stem, ending = key[:length], key[length:]
        if len(ending) > 7:
            break
        if stem in entries and (
            AZ_ENDINGS.match(ending) or RU_ENDINGS.match(ending) or EN_ENDINGS.match(ending)
        ):
            return True
        # Russian adjectives drop a place's last vowel: Шуша, Шушинский; Губадлы, Губадлинский.
        if RU_ADJECTIVE.match(ending) and any(stem + vowel in entries for vowel in "аыиоея"):
            return True
    return False


@dataclass(frozen=True)
class _Lists:
    first_names: frozenset[str]
    name_like: frozenset[str]
    surnames: frozenset[str]
    places: frozenset[str]
    organisations: frozenset[str]
    institutions: frozenset[str]


@functools.cache
def _lists() -> _Lists:
    """The word lists of victims/data, keyed, with the spellings people use without
    Azerbaijani letters and the Latin transliterations of the Cyrillic names."""
    azerbaijani = read_words("first_names_az.txt")
    cyrillic = read_words("first_names_ru.txt") + read_words("first_names_az_cyrl.txt")
    first_names = set(_keys(azerbaijani, _azerbaijani_spellings))
    first_names |= set(_keys(cyrillic, _cyrillic_spellings))
    first_names |= set(_keys(read_words("first_names_en.txt")))
    places = [word for entry in read_words("places.txt") for word in entry.split()]
    return _Lists(
        first_names=frozenset(first_names),
        name_like=frozenset(_keys(read_words("name_like_words.txt"), _azerbaijani_spellings)),
        surnames=frozenset(_keys(read_words("surnames_en.txt"))),
        places=frozenset(_keys(places, _azerbaijani_spellings)),
        organisations=frozenset(_keys(read_words("organisations.txt"))),
        institutions=frozenset(_keys(read_words("institution_words.txt"))),
    )


def _keys(entries: Iterable[str], spellings=None) -> Iterator[str]:
    for entry in entries:
        yield _key(entry)
        if spellings is not None:
            yield from (_key(spelling) for spelling in spellings(entry))


# How Azerbaijani letters are written without them: on a Latin keyboard (Həsən: Hesen) and in
# English texts (Hasan, Elchin, Javid, Khayal, Gubadly).
AZERBAIJANI_LETTERS: dict[str, tuple[str, ...]] = {
    "ə": ("a", "e"),
    "ı": ("i", "y"),
    "ğ": ("g", "gh"),
    "ş": ("sh", "s"),
    "ç": ("ch", "c"),
    "ö": ("o", "yo"),
    "ü": ("u", "yu"),
    "x": ("kh", "x"),
    "q": ("g", "q"),
    "c": ("j", "c"),
}


def _azerbaijani_spellings(entry: str) -> Iterator[str]:
    # Lower case that keeps the dotless ı apart, for its own spellings (Qubadlı: Gubadly).
    lowered = entry.replace("İ", "i").replace("I", "ı").replace("ǝ", "ə").lower()
    yield from _spellings(lowered, AZERBAIJANI_LETTERS)


# Latin transliterations of Russian (BGN/PCGN, passport, and the French-influenced forms).
CYRILLIC_LETTERS = {
    "а": ("a",),
    "б": ("b",),
    "в": ("v",),
    "г": ("g",),
    "д": ("d",),
    "е": ("e", "ye"),
    "ё": ("yo", "e"),
    "ж": ("zh",),
    "з": ("z",),
    "ий": ("iy", "y", "i", "ii"),
    "и": ("i",),
    "й": ("y", "i"),
    "кс": ("ks", "x"),
    "к": ("k",),
    "л": ("l",),
    "м": ("m",),
    "н": ("n",),
    "о": ("o",),
    "п": ("p",),
    "р": ("r",),
    "с": ("s",),
    "т": ("t",),
    "у": ("u",),
    "ф": ("f",),
    "х": ("kh", "h"),
    "ц": ("ts",),
    "ч": ("ch",),
    "ш": ("sh",),
    "щ": ("shch",),
    "ъ": ("",),
    "ы": ("y",),
    "ь": ("", "'"),
    "э": ("e",),
    "ю": ("yu", "iu"),
    "я": ("ya", "ia"),
}


def _cyrillic_spellings(entry: str) -> Iterator[str]:
    yield from _spellings(_key(entry), CYRILLIC_LETTERS)


def _spellings(key: str, letters: dict[str, tuple[str, ...]], limit: int = 64) -> Iterator[str]:
    """Every combination of the letters' spellings, up to `limit` of them."""
    parts: list[tuple[str, ...]] = []
    position = 0
    while position < len(key):
        for length in (2, 1):
            piece = key[position : position + length]
            if len(piece) == length and piece in letters:
                parts.append(letters[piece])
                position += length
                break
        else:
            parts.append((key[position],))
            position += 1
    for combination in itertools.islice(itertools.product(*parts), limit):
        yield "".join(combination)
