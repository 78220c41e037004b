import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import AreaFactory, CasualtyFactory, IncidentFactory, UserFactory
from victims.models import Casualty, Incident

pytestmark = pytest.mark.django_db

ADD = reverse("admin:victims_incident_add")
CHANGELIST = reverse("admin:victims_incident_changelist")
IMPORT = reverse("admin:victims_incident_import")


@pytest.fixture
def registrar(db):
    return UserFactory(username="registrar1", groups=["Registrars"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer1", groups=["Register reviewers"])


def incident_data(area, casualties=(), **overrides):
    data = {
        "occurred_on": "2024-03-05",
        "date_precision": "day",
        "area": str(area.pk),
        "place_type": "agricultural",
        "outside_contact_line": "yes",
        "inside_mapped_area": "no",
        "device_category": "antipersonnel",
        "device_model": "",
        "production_year": "",
        "activity": "farming",
        "source_type": "official",
        "source_reference": "MFA press release 45/2024",
        "internal_note": "",
        "verification": "reported",
        "casualties-TOTAL_FORMS": str(len(casualties)),
        "casualties-INITIAL_FORMS": "0",
        "casualties-MIN_NUM_FORMS": "0",
        "casualties-MAX_NUM_FORMS": "1000",
    }
    for index, casualty in enumerate(casualties):
        defaults = {
            "outcome": "injured",
            "status": "civilian",
            "sex": "male",
            "age_group": "unknown",
            "age_years": "",
            "injury": "",
            "displacement": "unknown",
        }
        for key, value in {**defaults, **casualty}.items():
            data[f"casualties-{index}-{key}"] = value
    data.update(overrides)
    return data


def text(response):
    return response.content.decode()


def test_registrar_records_an_incident_with_casualties_and_ages_become_groups(client, registrar):
    area = AreaFactory()
    client.force_login(registrar)

    response = client.post(
        ADD,
        incident_data(
            area,
            [
                {"outcome": "killed", "age_years": "34"},
                {"outcome": "injured", "injury": "eye_injury"},
            ],
        ),
    )

    assert response.status_code == 302, text(response)
    incident = Incident.objects.get()
    assert incident.reference == "INC-2024-0001"
    assert sorted(incident.casualties.values_list("outcome", "age_group")) == [
        ("injured", "unknown"),
        ("killed", "30-44"),
    ]


def test_personal_data_in_free_text_is_refused_in_the_admin_naming_it(client, registrar):
    client.force_login(registrar)

    response = client.post(
        ADD,
        incident_data(
            AreaFactory(), [{}], internal_note="Brother's phone 050-123-45-67, born 12.03.1985"
        ),
    )

    page = text(response)
    assert (
        "This looks like personal data (a phone number, a full date that could be a birth date)"
        in page
    )
    assert not Incident.objects.exists()


def test_registrars_cannot_verify_but_reviewers_can(client, registrar, reviewer):
    area = AreaFactory()
    client.force_login(registrar)
    refused = client.post(ADD, incident_data(area, [{}], verification="verified"))
    assert refused.status_code == 200
    assert not Incident.objects.exists()

    client.force_login(reviewer)
    accepted = client.post(ADD, incident_data(area, [{}], verification="verified"))
    assert accepted.status_code == 302
    assert Incident.objects.get().verification == "verified"


def test_a_verified_incident_needs_a_casualty(client, reviewer):
    client.force_login(reviewer)

    response = client.post(ADD, incident_data(AreaFactory(), [], verification="verified"))

    assert "A verified incident needs at least one casualty." in text(response)
    assert not Incident.objects.exists()


def test_possible_duplicates_are_shown_and_need_a_confirmation(client, registrar):
    area = AreaFactory()
    existing = IncidentFactory(area=area, occurred_on=datetime.date(2024, 3, 3))
    CasualtyFactory(incident=existing, outcome="killed")
    IncidentFactory(area=area, occurred_on=datetime.date(2024, 3, 20))  # too far in time
    client.force_login(registrar)
    data = incident_data(area, [{"outcome": "killed"}])

    warned = client.post(ADD, data)
    confirmed = client.post(ADD, {**data, "confirm_not_duplicate": "on"})

    assert "Possible duplicates" in text(warned)
    link = reverse("admin:victims_incident_change", args=[existing.pk])
    assert f'<a href="{link}" target="_blank" rel="noopener">{existing.reference}</a>' in text(
        warned
    )
    assert confirmed.status_code == 302
    assert Incident.objects.count() == 3


def test_history_keeps_every_change_and_an_old_version_can_be_restored(client, reviewer):
    incident = IncidentFactory(device_category="antipersonnel")
    casualty = CasualtyFactory(incident=incident, outcome="injured")
    old = incident.history.latest()
    incident.device_category = "antivehicle"
    incident.save()
    casualty.delete()
    CasualtyFactory(incident=incident, outcome="killed")
    client.force_login(reviewer)

    history = client.get(reverse("admin:victims_incident_history", args=[incident.pk]))
    response = client.post(
        reverse("admin:victims_incident_restore", args=[incident.pk, old.history_id])
    )

    assert "Restore this version" in text(history)
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.device_category == "antipersonnel"
    assert list(incident.casualties.values_list("outcome", flat=True)) == ["injured"]
    assert incident.history.count() >= 3


def test_incident_history_lists_its_casualties_changes_and_restores_in_local_time(client, reviewer):
    incident = IncidentFactory()
    casualty = CasualtyFactory(incident=incident, outcome="injured", sex="male")
    old = incident.history.latest()
    casualty.sex = "female"
    casualty.save()
    CasualtyFactory(incident=incident, outcome="killed", status="deminer").delete()
    client.force_login(reviewer)
    client.post(reverse("admin:victims_incident_restore", args=[incident.pk, old.history_id]))

    page = text(client.get(reverse("admin:victims_incident_history", args=[incident.pk])))

    casualties = page[page.index('id="casualty-history"') :]
    assert "<strong>Sex</strong>: Male → Female" in casualties
    assert "Killed, Deminer" in casualties and "Removed" in casualties
    local = timezone.localtime(old.history_date).strftime("%Y-%m-%d %H:%M")
    assert f"Restored the revision of {local}" in page


def csv_file(rows, name="register.csv"):
    output = io.StringIO()
    writer = csv.writer(output)
    for row in rows:
        writer.writerow(row)
    return SimpleUploadedFile(name, output.getvalue().encode())


HEADER = [
    "incident",
    "date",
    "area",
    "device_category",
    "source_type",
    "source_reference",
    "outcome",
    "status",
    "sex",
    "age",
    "injury",
]


def good_rows(count):
    rows = [HEADER]
    for n in range(count):
        rows.append(
            [
                f"i{n // 2}",
                "2024-02-03",
                "AZ-LAC",
                "antipersonnel",
                "official",
                "MFA press release 45/2024",
                "injured",
                "civilian",
                "male",
                "30",
                "eye_injury",
            ]
        )
    return rows


def test_import_previews_then_imports_everything(client, reviewer):
    AreaFactory(code="AZ-LAC")
    client.force_login(reviewer)

    preview = client.post(IMPORT, {"file": csv_file(good_rows(6))})
    assert "The file is correct: 6 rows, 3 incidents with 6 casualties." in text(preview)
    assert not Incident.objects.exists()  # a preview changes nothing

    stored = preview.context["stored"]
    done = client.post(IMPORT, {"stored": stored})

    assert done.status_code == 302
    assert Incident.objects.count() == 3
    assert Casualty.objects.filter(age_group="30-44", injury="eye_injury").count() == 6


def test_one_bad_row_in_500_imports_nothing_and_names_the_row(client, reviewer):
    AreaFactory(code="AZ-LAC")
    rows = good_rows(500)
    rows[321][HEADER.index("outcome")] = "vanished"
    rows[400][HEADER.index("source_reference")] = "call 050-123-45-67"
    client.force_login(reviewer)

    response = client.post(IMPORT, {"file": csv_file(rows)})

    problems = [(p.line, p.column) for p in response.context["result"].problems]
    assert (322, "outcome") in problems
    assert (401, "source_reference") in problems
    assert {line for line, _column in problems} == {322, 401}
    assert "problems found; nothing was imported." in text(response)
    assert "stored" not in response.context
    assert not Incident.objects.exists()


def test_a_value_longer_than_its_column_is_listed_in_the_preview(client, reviewer):
    AreaFactory(code="AZ-LAC")
    rows = good_rows(4)
    for line in (1, 2):  # both rows of incident i0
        rows[line][HEADER.index("source_reference")] = "Report " + "x" * 400
    client.force_login(reviewer)

    response = client.post(IMPORT, {"file": csv_file(rows)})

    problems = response.context["result"].problems
    assert [(p.line, p.column) for p in problems] == [
        (2, "source_reference"),
        (3, "source_reference"),
    ]
    assert "At most 300 characters; this value has 407." in text(response)
    assert not Incident.objects.exists()


def test_import_reads_xlsx(client, reviewer):
    from openpyxl import Workbook

    AreaFactory(code="AZ-LAC")
    workbook = Workbook()
    for row in good_rows(2):
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    client.force_login(reviewer)

    preview = client.post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", output.getvalue())})

    assert "The file is correct: 2 rows, 1 incidents with 2 casualties." in text(preview)


def test_import_reads_date_cells_of_a_workbook_as_dates(client, reviewer):
    """Excel stores a typed date as a date, not as text: it must import like 2024-02-03."""
    import datetime

    from openpyxl import Workbook

    AreaFactory(code="AZ-LAC")
    workbook = Workbook()
    for number, row in enumerate(good_rows(2)):
        workbook.active.append(
            row if number == 0 else [*row[:1], datetime.date(2024, 2, 3), *row[2:]]
        )
    output = io.BytesIO()
    workbook.save(output)
    client.force_login(reviewer)

    preview = client.post(IMPORT, {"file": SimpleUploadedFile("r.xlsx", output.getvalue())})

    assert "The file is correct: 2 rows, 1 incidents with 2 casualties." in text(preview)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\n\n", "The file is empty."),
        (b"incident,date\n", "The file has a header but no rows."),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"incident,date\nx,2024-01-01\n", "This column is missing."),
        (
            b"incident,date,area,source_type,outcome,colour\nx,2024-01-01,AZ-LAC,official,killed,red\n",
            "Unknown column.",
        ),
    ],
)
def test_unreadable_files_get_a_clear_error(client, reviewer, content, message):
    client.force_login(reviewer)

    response = client.post(IMPORT, {"file": SimpleUploadedFile("r.csv", content)})

    assert message in text(response)
    assert not Incident.objects.exists()


def test_registrars_cannot_import(client, registrar):
    client.force_login(registrar)

    assert client.get(IMPORT).status_code == 403


def exported(client, query=""):
    response = client.get(reverse("admin:victims_incident_export", args=["csv"]) + query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(content)))


def test_export_leaves_out_internal_fields_without_the_permission(client, reviewer):
    CasualtyFactory(
        incident=IncidentFactory(source_reference="Hospital log 7", internal_note="check")
    )
    client.force_login(reviewer)

    rows = exported(client)

    assert rows[0]["killed"] == "0" and rows[0]["injured"] == "1"
    assert "source_reference" not in rows[0] and "internal_note" not in rows[0]


def test_export_with_the_permission_includes_internal_fields(client):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="auditor", groups=["Register reviewers"])
    user.user_permissions.add(Permission.objects.get(codename="export_internal_fields"))
    CasualtyFactory(incident=IncidentFactory(source_reference="Hospital log 7"))
    client.force_login(user)

    assert exported(client)[0]["source_reference"] == "Hospital log 7"


def test_export_follows_the_changelist_filters(client, reviewer):
    IncidentFactory(device_category="antipersonnel")
    IncidentFactory(device_category="antivehicle")
    client.force_login(reviewer)

    rows = exported(client, "?device_category__exact=antivehicle")

    assert [row["device_category"] for row in rows] == ["antivehicle"]


def test_export_xlsx(client, reviewer):
    from openpyxl import load_workbook

    IncidentFactory()
    client.force_login(reviewer)

    response = client.get(reverse("admin:victims_incident_export", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "reference" and sheet.max_row == 2


def test_changelist_filters_and_searches(client, registrar):
    killed = IncidentFactory(occurred_on=datetime.date(2022, 1, 1))
    CasualtyFactory(incident=killed, outcome="killed")
    IncidentFactory()
    client.force_login(registrar)

    by_outcome = text(client.get(CHANGELIST, {"outcome": "killed"}))
    by_reference = text(client.get(CHANGELIST, {"q": killed.reference}))

    assert killed.reference in by_outcome and "INC-2023-0001" not in by_outcome
    assert killed.reference in by_reference


@pytest.mark.parametrize("count", [1, 50])
def test_changelist_queries_do_not_grow(client, registrar, count, django_assert_max_num_queries):
    for _ in range(count):
        CasualtyFactory()
    client.force_login(registrar)

    with django_assert_max_num_queries(16):
        assert client.get(CHANGELIST).status_code == 200


def test_the_import_page_explains_each_column_to_the_registrar(client, reviewer):
    client.force_login(reviewer)

    page = text(client.get(IMPORT))

    assert "<code>device_category</code>" in page
    assert "antipersonnel (Antipersonnel mine)" in page
    assert "The district&#x27;s ISO 3166-2 code, e.g. AZ-LAC." in page
    assert "django-import-export" not in page and "`commit`" not in page


def test_refusals_in_the_register_admin_say_why(client, registrar):
    incident = IncidentFactory()
    client.force_login(registrar)

    importing = client.get(IMPORT)
    restoring = client.get(
        reverse("admin:victims_incident_restore", args=[incident.pk, incident.history.latest().pk])
    )

    assert importing.status_code == restoring.status_code == 403
    assert "Importing incidents is for register reviewers" in text(importing)
    assert "only answers the button on the history page" in text(restoring)
    assert 'id="site-name"' in text(importing)


@pytest.mark.parametrize("casualties", [1, 20])
def test_incident_history_queries_do_not_grow_with_casualties(
    client, reviewer, casualties, django_assert_max_num_queries
):
    incident = IncidentFactory()
    for _number in range(casualties):
        casualty = CasualtyFactory(incident=incident)
        casualty.sex = "female"
        casualty.save()
    client.force_login(reviewer)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("admin:victims_incident_history", args=[incident.pk]))

    assert response.content.decode().count("<strong>Sex</strong>: Male → Female") == casualties


def test_import_files_wait_outside_media_and_go_after_the_import(client, reviewer, settings):
    import pathlib

    AreaFactory(code="AZ-LAC")
    client.force_login(reviewer)

    stored = client.post(IMPORT, {"file": csv_file(good_rows(2))}).context["stored"]
    kept = pathlib.Path(settings.IMPORT_ROOT) / stored

    assert "/" not in stored and kept.is_file()
    assert not list(pathlib.Path(settings.MEDIA_ROOT).rglob("*.csv"))  # never under /media/
    assert client.get(f"/media/register-imports/{stored}").status_code == 404
    client.post(IMPORT, {"stored": stored})
    assert Incident.objects.count() == 1 and not kept.exists()


@pytest.mark.parametrize(
    "stored",
    [
        "register-imports/../secret.csv",
        "../secret.csv",
        "/etc/passwd",
        "secret.csv",
        "0123456789abcdef0123456789abcdef.csv/../../secret.csv",
    ],
)
def test_the_import_accepts_only_a_name_it_generated(client, reviewer, settings, stored):
    import pathlib

    AreaFactory(code="AZ-LAC")
    secret = pathlib.Path(settings.IMPORT_ROOT) / "secret.csv"
    secret.write_text(csv_file(good_rows(2)).read().decode())
    client.force_login(reviewer)

    response = client.post(IMPORT, {"stored": stored}, follow=True)

    assert "That upload has expired: upload the file again." in text(response)
    assert not Incident.objects.exists()


def test_an_abandoned_import_file_is_deleted_after_a_day(client, reviewer, settings):
    import pathlib

    from django.core.management import call_command

    AreaFactory(code="AZ-LAC")
    client.force_login(reviewer)
    stored = client.post(IMPORT, {"file": csv_file(good_rows(2))}).context["stored"]
    kept = pathlib.Path(settings.IMPORT_ROOT) / stored

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=23)):
        call_command("clean_imports", stdout=io.StringIO())
        assert kept.exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        client.force_login(reviewer)  # a new working day: staff sessions last 8 hours
        response = client.post(IMPORT, {"stored": stored}, follow=True)
        assert "That upload has expired: upload the file again." in text(response)
        assert not kept.exists()
    assert not Incident.objects.exists()
