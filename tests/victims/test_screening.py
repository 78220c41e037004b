import pytest
from django.core.exceptions import ValidationError

from tests.factories import AreaFactory
from victims.importing import check
from victims.models import screen
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


# Findings that quote what triggered them: (text, the message shown to the editor).
QUOTED = [
    # personal names
    ("info from R. Hasanov", "a personal name “R. Hasanov”"),
    ("Р. Гасанов, житель села", "a personal name “Р. Гасанов”"),
    ("со слов Петрова А.В.", "a personal name “Петрова А.В.”"),
    ("Kamal Rauf oğlu Əliyev", "a personal name “Kamal Rauf oğlu Əliyev”"),
    ("Aynur Həsən qızı", "a personal name “Aynur Həsən qızı”"),
    ("водитель Сидоров Алексей Иванович", "a personal name “Сидоров Алексей Иванович”"),
    ("Pyotr Sergeyevich, lorry driver", "a personal name “Pyotr Sergeyevich”"),
    ("Mr Brown from the farm", "a personal name “Mr Brown”"),
    ("Mrs. K. Allen, witness", "a personal name “Mrs. K. Allen”"),
    ("гражданин Петров", "a personal name “гражданин Петров”"),
    ("Anna Smith reported the blast", "a personal name “Anna Smith”"),
    ("statement by Leyla Hüseynzadə", "a personal name “Leyla Hüseynzadə”"),
    ("Günel Məmmədli şahid kimi", "a personal name “Günel Məmmədli”"),
    ("the driver Babayev", "a personal name “Babayev”"),
    ("со слов Кузнецовой Еленой", "a personal name “Кузнецовой Еленой”"),
    ("Kərimov Fərid, çoban", "a personal name “Kərimov Fərid”"),
    ("the boy Elvin found the device", "a personal name “Elvin”"),
    ("переводчик Майкл Джонсон", "a personal name “Майкл Джонсон”"),
    ("anar quliyev sahədə idi", "a personal name “anar quliyev”"),
    ("told by mrs allen", "a personal name “mrs allen”"),
    ("владимир николаевич попов", "a personal name “владимир николаевич попов”"),
    ("HASANOV RAUF", "a personal name “HASANOV RAUF”"),
    ("per Mr. O'Connor of the NGO", "a personal name “Mr. O'Connor”"),
    ("Kərimli Nihad məlumat verib", "a personal name “Kərimli Nihad”"),
    # street addresses
    ("lives at 14 Baker Street", "a street address “14 Baker Street”"),
    ("Nizami küç. 45, mənzil 12", "a street address “Nizami küç. 45, mənzil 12”"),
    ("ул. Ленина, д. 5, кв. 17", "a street address “ул. Ленина, д. 5, кв. 17”"),
    ("Səməd Vurğun küçəsi 17", "a street address “Səməd Vurğun küçəsi 17”"),
    ("проспект Азадлыг 102", "a street address “проспект Азадлыг 102”"),
    ("flat 3", "a street address “flat 3”"),
    # passport numbers
    ("passport C 01234567", "a passport number “passport C 01234567”"),
    ("паспорт серия 45 06 № 123456", "a passport number “паспорт серия 45 06 № 123456”"),
    ("pasport AA 1234567", "a passport number “pasport AA 1234567”"),
    ("P1234567", "a passport number “P1234567”"),
    # years of birth
    ("пострадавший, 1985 г.р.", "a year of birth “1985 г.р.”"),
    ("1985-ci il təvəllüdlü", "a year of birth “1985-ci il təvəllüdlü”"),
    ("born in 1985", "a year of birth “born in 1985”"),
]

MORE_PERSONAL = [
    ("born March 12, 1985", "a full date that could be a birth date"),
    ("DOB Mar 12 1985", "a full date that could be a birth date"),
    ("born 12th of March 1985", "a full date that could be a birth date"),
    ("12 mart 1985-ci il", "a full date that could be a birth date"),
    ("родился 12 марта 1985 г.", "a full date that could be a birth date"),
    ("date of birth 03/25/1985", "a full date that could be a birth date"),
    ("victim's house at 40.1234 N, 46.5678 E", "map coordinates"),
    ("home N 40°07'21\" E 46°34'12\"", "map coordinates"),
    ("family lives at 40°7′21″ 46°34′12″", "map coordinates"),
    ("дом семьи: 40°10' с.ш. 46°20' в.д.", "map coordinates"),
    ("lat 40.3321 lon 46.9912", "map coordinates"),
    ("GPS 40.12, 46.51 approx, the house", "map coordinates"),
]

MORE_HARMLESS = [
    # places, including those that end like surnames (-li, -lı, -ин, -ov)
    "Laçın, Kəlbəcər, Ağdam, Füzuli, Qubadlı, Zəngilan, Cəbrayıl, Tərtər, Şuşa, Xankəndi",
    "Horadiz, Qaraxanbəyli, Sarıcalı, Soltanlı",
    "Лачин, Кельбаджар, Физули; Lachin, Kalbajar, Fuzuli, Gubadly",
    "Soltanlı kəndində traktor minaya düşüb",
    "В Физулинском районе на мине подорвался трактор",
    "Джебраильский, Губадлинский и Шушинский районы",
    "Zəngilan rayonu, Araz çayı boyunca",
    "Nərimanov rayonu",
    # organisations and institutions named after people
    "ANAMA, ICRC, HALO Trust, MFA, МИД",
    "Heydar Aliyev Foundation press release",
    "Фонд Гейдара Алиева оказал помощь",
    "проспект Гейдара Алиева",
    "Azərbaycan Qızıl Aypara Cəmiyyəti",
    "Общество Красного Полумесяца Азербайджана",
    # ordinary words that are also first names
    "Azad edilmiş ərazilərdə minatəmizləmə davam edir",
    "Zəfər yolu, 12-ci km",
    "Zəfər Günü münasibətilə tədbir",
    "Will the field be cleared before spring?",
    "Марка мины не установлена",
    "Снарядов и мин на участке обнаружено не было",
    # roads, distances, references, incident dates
    "road from Ağdam to Füzuli",
    "Barda–Aghdam road, 8 km east of the checkpoint",
    "Laçın yolu, 12-ci km",
    "PMN-2 found 15 m from the road",
    "ref. № 12/345",
    "March 12, 2023",
    "the morning of 23rd of January 2021",
    "5 noyabr 2023",
    "утром 23 января 2021 г.",
    "14 sheep killed",
    "5 nəfər yaralanıb, 1 nəfər həlak olub",
]


@pytest.mark.parametrize(("text", "message"), QUOTED)
def test_names_addresses_passports_and_birth_years_are_found_and_quoted(text, message):
    assert message in [str(item) for item in find_personal_data(text)]


@pytest.mark.parametrize(("text", "finding"), MORE_PERSONAL)
def test_month_name_dates_and_coordinates_are_found(text, finding):
    assert finding in [str(item) for item in find_personal_data(text)]


@pytest.mark.parametrize("text", MORE_HARMLESS)
def test_places_organisations_roads_and_register_dates_pass(text):
    assert find_personal_data(text) == []


def test_one_thing_is_named_once_by_its_most_specific_finding():
    # The passport's digits are not also "a long run of digits", the birth date not also
    # "a year of birth".
    assert [str(item) for item in find_personal_data("passport C 01234567, born 12.03.1985")] == [
        "a passport number “passport C 01234567”",
        "a full date that could be a birth date",
    ]


def test_a_refused_save_tells_the_editor_what_to_remove():
    with pytest.raises(ValidationError) as refused:
        screen({"internal_note": "info from R. Hasanov, Nizami küç. 45"})

    assert refused.value.message_dict["internal_note"] == [
        "This looks like personal data (a street address “Nizami küç. 45”, "
        "a personal name “R. Hasanov”). The register is anonymous: remove it."
    ]


@pytest.mark.django_db
def test_an_import_names_the_personal_data_in_its_line_and_column():
    AreaFactory(code="AZ-LAC")
    content = (
        b"incident,date,area,source_type,outcome,internal_note\n"
        b"A,2024-05-03,AZ-LAC,media,injured,tractor hit a mine; father Rauf Guliyev confirmed\n"
    )

    result = check("casualties.csv", content)

    assert [(problem.column, problem.message) for problem in result.problems] == [
        ("internal_note", "Looks like personal data (a personal name “Rauf Guliyev”).")
    ]
