"""Journey 10: a registrar records incidents, meets the duplicate warning and the personal-data
screening, imports a file (a bad row first), exports the filtered list, and sees the public
figures move."""

import csv

import pytest

from tests.browser.journeys import message, write_file
from tests.factories import AreaFactory, UserFactory
from victims.models import Casualty, Incident

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

INCIDENTS = "/admin/victims/incident/"
HEADER = "incident,date,area,device_category,source_type,source_reference,outcome,status,sex,age"


def add_casualty(page, number: int, outcome: str, status: str, sex: str, age: str) -> None:
    row = f"(casualty {number})"
    page.get_by_label(f"Outcome {row}").select_option(outcome)
    page.get_by_label(f"Status {row}").select_option(status)
    page.get_by_label(f"Sex {row}").select_option(sex)
    page.get_by_label(f"Age in years {row}").fill(age)


def fill_incident(page, day: str) -> None:
    page.get_by_label("Date of occurrence:").fill(day)
    page.get_by_label("District:").select_option(label="Laçın (AZ-LAC)")
    page.get_by_label("Device category:").select_option("antipersonnel")
    page.get_by_label("Activity at the time:").select_option("farming")
    page.get_by_label("Source type:").select_option("official")
    add_casualty(page, 1, "killed", "civilian", "male", "34")
    page.get_by_text("Add another Casualty").click()
    add_casualty(page, 2, "injured", "civilian", "female", "12")


def test_registrar_records_checks_imports_and_exports_casualties(people, tmp_path):
    AreaFactory(code="AZ-LAC", name="Laçın")
    AreaFactory(code="AZ-KAL", name="Kəlbəcər")
    registrar = UserFactory(username="registrar1", groups=["Register reviewers"])
    person = people("registrar")
    page = person.page
    person.log_in(registrar)

    # An incident with two casualties, ages typed in years.
    person.click(page.locator("tr.model-incident").get_by_role("link", name="Incidents"))
    person.click(page.get_by_role("link", name="Add incident"))
    fill_incident(page, "2026-11-20")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the incident form is {width[0]} px wide in a 1280 px window"
    person.click(page.get_by_role("button", name="Save", exact=True))
    assert "was added successfully" in message(page)
    first = Incident.objects.get()
    assert sorted(first.casualties.values_list("outcome", "sex", "age_group")) == [
        ("injured", "female", "12-17"),
        ("killed", "male", "30-44"),
    ]

    # A second one like it: the possible duplicate is named; confirmed, it is saved.
    person.click(page.get_by_role("link", name="Add incident"))
    fill_incident(page, "2026-11-21")
    person.click(page.get_by_role("button", name="Save", exact=True))
    warning = page.locator(".errorlist, .errornote").all_inner_texts()
    assert any("Possible duplicates" in text and first.reference in text for text in warning)
    assert Incident.objects.count() == 1
    page.get_by_label("I have checked the possible duplicates").check()
    person.click(page.get_by_role("button", name="Save", exact=True))
    assert Incident.objects.count() == 2

    # A phone number in a free-text field is refused with the reason; nothing changes.
    person.click(page.get_by_role("link", name=first.reference))
    page.get_by_label("Internal note:").fill("Reported by the village head, +994 50 123 45 67")
    person.click(page.get_by_role("button", name="Save", exact=True))
    assert "a phone number" in page.locator(".errorlist").first.inner_text()
    first.refresh_from_db()
    assert first.internal_note == ""

    # Its history says who recorded it, in words.
    person.click(page.get_by_role("link", name="History"))
    history = page.locator("#change-history").inner_text()
    assert "registrar1" in history and "Created" in history and "Deleted" not in history

    # Import: a bad row is listed by line and column and nothing is saved; fixed, all of it.
    person.click(page.locator(".breadcrumbs").get_by_role("link", name="Incidents"))
    person.click(page.get_by_role("link", name="Import"))
    rows = [
        HEADER,
        "a,2024-03-02,AZ-KAL,antipersonnel,official,MFA 12/2024,injured,civilian,male,41",
        "a,2024-03-02,AZ-KAL,antipersonnel,official,MFA 12/2024,dead,civilian,male,17",
        "b,2024-06-10,AZ-LAC,antivehicle,official,MFA 30/2024,killed,military,male,25",
    ]
    bad = write_file(tmp_path, "register.csv", "\n".join(rows).encode())
    page.get_by_label("CSV or XLSX file").set_input_files(bad)
    person.click(page.get_by_role("button", name="Check the file"))
    problems = page.locator("table.import-problems tbody tr").all_inner_texts()
    assert len(problems) == 1 and problems[0].startswith("3\toutcome\t")
    assert Incident.objects.count() == 2
    rows[2] = rows[2].replace(",dead,", ",killed,")
    good = write_file(tmp_path, "register-fixed.csv", "\n".join(rows).encode())
    page.get_by_label("CSV or XLSX file").set_input_files(good)
    person.click(page.get_by_role("button", name="Check the file"))
    assert "The file is correct: 3 rows, 2 incidents with 3 casualties" in page.inner_text(
        "main, #content"
    )
    person.click(page.get_by_role("button", name="Import all of it"))
    assert "Imported 2 incidents with 3 casualties." in message(page)
    assert Incident.objects.count() == 4 and Casualty.objects.count() == 7

    # Export the list filtered to 2024: only the imported incidents.
    person.click(page.locator("#changelist-filter").get_by_role("link", name="2024"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported_file:
        exported = list(csv.DictReader(exported_file))
    assert sorted(row["occurred_on"] for row in exported) == ["2024-03-02", "2024-06-10"]
    assert sorted((row["killed"], row["injured"]) for row in exported) == [("1", "0"), ("1", "1")]

    # The public figures count the new casualties.
    reader = people("reader")
    reader.goto("/en/casualties/")
    figures = dict(
        zip(
            reader.page.locator(".figures dt").all_inner_texts(),
            reader.page.locator(".figures dd").all_inner_texts(),
            strict=True,
        )
    )
    assert (figures["Casualties"], figures["Killed"], figures["Injured"]) == ("7", "4", "3")
