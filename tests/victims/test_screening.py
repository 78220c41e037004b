import pytest

from victims.screening import find_personal_data

PERSONAL = [
    ("call +994 50 123 45 67", "a phone number"),
    ("tel. 050-123-45-67", "a phone number"),
    ("(012) 555-55-55", "a phone number"),
    ("0501234567", "a phone number"),
    ("relative: aysel.m@example.az", "an e-mail address"),
    ("ID AZE12345678", "an ID card number"),
    ("passport AA1234567", "an ID card number"),
    ("FIN 5ZK8L9M", "a personal code (FIN-like)"),
    ("born 12.03.1985", "a full date that could be a birth date"),
    ("d.o.b. 1985-03-12", "a full date that could be a birth date"),
    ("born 12 March 1985", "a full date that could be a birth date"),
    ("родился 12 марта 1985", "a full date that could be a birth date"),
    ("doğum 12 mart 1985", "a full date that could be a birth date"),
    ("account 123456789012", "a long run of digits"),
    ("house at 40.123456, 46.654321", "map coordinates"),
]

HARMLESS = [
    "MFA press release 45/2024",
    "PMN-E",
    "PMN-2",
    "OZM-72",
    "TM-62M",
    "MON-50",
    "ANAMA report 2023/17",
    "Reported by the district hospital on 12.03.2024",
    "Case 2024/0042, second casualty",
    "Media report, APA, March 2024",
    "Incident near the Lachin road, km 12",
    "",
]


@pytest.mark.parametrize(("text", "finding"), PERSONAL)
def test_personal_data_is_found_and_named(text, finding):
    assert finding in [str(item) for item in find_personal_data(text)]


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_passes(text):
    assert find_personal_data(text) == []
