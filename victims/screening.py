"""Screening of the register's free text for personal data.

The register is anonymised by design (DOMAIN.md §2): no names, ID numbers, birth dates,
addresses, phone numbers. Its few free-text fields (source reference, internal note, device
model) are screened on every save; text that looks like personal data is refused, naming
what was found. One function, `find_personal_data`, used by the models, the admin, the
import and the commands.

What counts, and what deliberately does not:
- e-mail addresses;
- phone numbers: 9 or more digits written as a phone number (+994 50 123 45 67,
  050-123-45-67, (012) 555-55-55);
- national ID card numbers (AZE12345678, AA1234567) and FIN-like personal codes: a
  standalone 7-character mix of capital letters and digits (5ZK8L9M);
- full dates (day, month and year) outside the register's period — from the start of the
  2020 hostilities to today, where dates are incident or report dates — since they could be
  birth dates (12.03.1985, 1985-03-12, 12 March 1985);
- map coordinates (40.12345, 46.65432): an exact place can identify a home;
- long digit runs: 8 or more digits in a row.
Short references such as "MFA press release 45/2024", "ANAMA report 2023/17" or device
models such as "PMN-E", "OZM-72", "TM-62M" pass.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REGISTER_PERIOD_START = datetime.date(2020, 9, 27)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/])(\+?\(?\d[\d\s().-]{7,}\d)(?![\w/])")
ID_CARD = re.compile(r"\b(AZE\s?\d{8}|[A-Z]{2}\d{7})\b")
FIN = re.compile(r"\b(?=[A-Z0-9]{7}\b)(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{7}\b")
DIGIT_RUN = re.compile(r"\d{8,}")
COORDINATES = re.compile(r"\b-?\d{1,3}\.\d{4,}\s*[,;]\s*-?\d{1,3}\.\d{4,}\b")
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "yanvar|fevral|mart|aprel|may|iyun|iyul|avqust|sentyabr|oktyabr|noyabr|dekabr|"
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
WORDED_DATE = re.compile(rf"\b(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})\b", re.IGNORECASE)
MONTH_NUMBERS = {name: index % 12 + 1 for index, name in enumerate(MONTHS.split("|"))}


def _dates(text: str):
    for match in NUMERIC_DATE.finditer(text):
        yield match.group(0), int(match.group(3)), int(match.group(2)), int(match.group(1))
    for match in ISO_DATE.finditer(text):
        yield match.group(0), int(match.group(1)), int(match.group(2)), int(match.group(3))
    for match in WORDED_DATE.finditer(text):
        month = MONTH_NUMBERS[match.group(2).lower()]
        yield match.group(0), int(match.group(3)), month, int(match.group(1))


def _outside_register_period(year: int, month: int, day: int) -> bool:
    try:
        found = datetime.date(year, month, day)
    except ValueError:
        return False  # not a date at all
    return not (REGISTER_PERIOD_START <= found <= timezone.localdate())


def find_personal_data(text: str | None) -> list[str]:
    """What in `text` looks like personal data, as messages for the editor; [] if nothing."""
    if not text:
        return []
    found = []
    if EMAIL.search(text):
        found.append(_("an e-mail address"))
    phone = any(_looks_like_phone(match.group(1)) for match in PHONE.finditer(text))
    if phone:
        found.append(_("a phone number"))
    identity = bool(ID_CARD.search(text))
    if identity:
        found.append(_("an ID card number"))
    elif FIN.search(text):
        found.append(_("a personal code (FIN-like)"))
    if any(_outside_register_period(y, m, d) for _text, y, m, d in _dates(text)):
        found.append(_("a full date that could be a birth date"))
    if COORDINATES.search(text):
        found.append(_("map coordinates"))
    if DIGIT_RUN.search(text) and not (phone or identity):
        found.append(_("a long run of digits"))
    return found


def _looks_like_phone(candidate: str) -> bool:
    """9 to 13 digits written as a phone number: with +, brackets or separators, or starting
    with 0 or the 994 country code."""
    digits = re.sub(r"\D", "", candidate)
    if not 9 <= len(digits) <= 13:
        return False
    return bool(re.search(r"[\s().+-]", candidate)) or digits.startswith(("0", "994"))
