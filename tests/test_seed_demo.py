import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_demo_editor_only_on_local_sqlite(settings, capsys, client):
    # The suite runs on SQLite and on PostgreSQL: with DEBUG on, the first is a developer's
    # machine and gets the demo login; the second never does.
    settings.DEBUG = True
    local = connection.vendor == "sqlite"

    call_command("seed_demo")
    call_command("seed_demo")  # twice: idempotent

    out = capsys.readouterr().out
    editors = get_user_model().objects.filter(username="editor", is_staff=True)
    assert editors.count() == (1 if local else 0)
    signed_in = client.post(
        "/admin/login/", {"username": "editor", "password": "editor-demo-password"}
    )
    assert (signed_in.status_code == 302) is local
    assert ("username 'editor', password 'editor-demo-password'" in out) is local


def test_seed_demo_never_creates_a_demo_login_with_debug_off(settings, capsys):
    settings.DEBUG = False

    call_command("seed_demo")

    assert not get_user_model().objects.filter(username="editor").exists()
    assert "no demo accounts created" in capsys.readouterr().out


def test_seed_demo_adds_statements_in_every_public_and_hidden_state(settings):
    from statements.models import Edition, Kind

    settings.DEBUG = False

    call_command("seed_demo")
    call_command("seed_demo")

    latest = Edition.objects.latest_editions()
    assert latest.count() == 9  # 7 in English, 2 translations
    listed = Edition.objects.listed().in_language("en")
    assert {s.kind for s in listed} >= {Kind.STATEMENT, Kind.PRESS_RELEASE, Kind.SPEECH}
    assert Edition.objects.published().filter(state="withdrawn").count() == 1
    assert latest.filter(state="draft").count() == 1
    assert Edition.objects.scheduled().count() == 1
    assert Edition.objects.published().filter(topics__slug="mine-action").exists()
    years = Edition.objects.listed().filter(observance__slug="mine-awareness-day")
    assert len({statement.issued_on.year for statement in years}) >= 2
    assert {s.document.language for s in Edition.objects.listed()} == {"en", "az", "ru"}


def test_demo_editor_and_publisher_have_their_roles_on_local_sqlite(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    users = get_user_model().objects.filter(username__in=["editor", "publisher"])
    roles = {user.username: [group.name for group in user.groups.all()] for user in users}
    expected = {"editor": ["Editors"], "publisher": ["Publishers"]}
    assert roles == (expected if connection.vendor == "sqlite" else {})


def test_the_demo_4_april_statement_is_in_its_observance_in_every_language(settings, client):
    from statements.models import Edition

    settings.DEBUG = False
    call_command("seed_demo")

    four_april = Edition.objects.listed().filter(issued_on__month=4, issued_on__day=4)
    assert {s.document.language for s in four_april} == {"en", "az", "ru"}
    assert all(s.observance and s.observance.slug == "mine-awareness-day" for s in four_april)
    az = client.get("/az/observances/mine-awareness-day/").text
    ru = client.get("/ru/observances/mine-awareness-day/").text
    assert "2006-cı ildən bəri hər il 4 aprel tarixində qeyd olunur." in az
    assert "Отмечается ежегодно 4 апреля начиная с 2006 года." in ru
    assert "Observed every year" not in az + ru


def test_demo_translations_are_complete_and_name_the_place_in_their_language(settings):
    import re

    from statements.models import Edition

    settings.DEBUG = False
    call_command("seed_demo")

    places = {"az": "Bakı", "ru": "Баку"}
    translations = Edition.objects.listed().exclude(document__language="en")
    assert {t.document.language for t in translations} == {"az", "ru"}
    for translation in translations:
        original = translation.document.translated_from
        paragraphs = re.findall(r"<p>(.*?)</p>", translation.body)
        assert len(paragraphs) == original.body.count("<p>") == 5
        assert all(paragraphs)
        assert translation.place == places[translation.document.language]
        assert translation.title != original.title
        assert original.place == "Baku"


def test_demo_statements_keep_their_real_first_publication_dates(settings, client):
    import datetime
    import json
    import zoneinfo

    from statements.models import Edition

    settings.DEBUG = False
    call_command("seed_demo")

    baku = zoneinfo.ZoneInfo("Asia/Baku")
    for statement in Edition.objects.listed():
        first = statement.document.first_published_at.astimezone(baku)
        assert first == datetime.datetime.combine(
            statement.issued_on, datetime.time(10), tzinfo=baku
        )
    april = Edition.objects.listed().get(document__language="en", slug="mine-awareness-day-2024")
    html = client.get(april.get_absolute_url()).content.decode()
    assert "Published 4 April 2024<" in html
    assert "Last updated" not in html
    ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["datePublished"] == "2024-04-04T06:00:00+00:00"


def test_the_demo_ministry_is_the_sites_identity(settings, client):
    settings.DEBUG = False
    call_command("seed_demo")
    call_command("seed_demo")

    for language, name in [
        ("en", "Ministry of Foreign Affairs of the Republic of Azerbaijan"),
        ("az", "Azərbaycan Respublikası Xarici İşlər Nazirliyi"),
        ("ru", "Министерство иностранных дел Азербайджанской Республики"),
    ]:
        html = client.get(f"/{language}/").content.decode()
        assert f'<span class="site-name__full">{name}</span>' in html
    assert '<a href="mailto:press@example.org">press@example.org</a>' in html
    assert "Демонстрационный адрес" in html


def test_the_demo_snapshot_gives_the_4_april_statements_figures(settings, client):
    from statements.models import Edition
    from victims.models import Snapshot

    settings.DEBUG = False
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: no second snapshot of the same period

    first, second = Snapshot.objects.order_by("number")
    assert (str(first.period_from), str(first.period_to)) == ("2020-11-10", "2024-04-04")
    assert first.figures["casualties"] == 350
    assert first.figures["killed"] == 65
    assert first.figures["killed.civilian"] == 50
    assert first.figures["killed.military"] == 15
    assert first.figures["share.outside_mapped_areas.last_year"] > 55
    assert first.figures["share.outside_contact_line"] > 50
    lachin_and_kalbajar = {
        row: value
        for row, _column, value, _exact in next(
            table for table in first.content["tables"] if table["key"] == "area"
        )["figures"]
    }
    assert lachin_and_kalbajar["AZ-LAC"] and lachin_and_kalbajar["AZ-KAL"]
    assert str(second.period_to) == "2025-04-04" and second.figures["casualties"] > 350

    four_april = Edition.objects.published().filter(slug="mine-awareness-day-2024")
    assert {edition.figures_snapshot for edition in four_april} == {first}
    words = {"en": "350 people", "az": "350 nəfər", "ru": "350 человек"}
    for edition in four_april:
        page = client.get(edition.get_absolute_url()).text
        assert words[edition.language] in page
        assert "[[" not in page and "/casualties/snapshots/1/" in page
    later = Edition.objects.published().get(slug="mine-awareness-day-2025")
    assert later.figures_snapshot == second
    changes = client.get("/en/casualties/snapshots/1...2/").text
    assert "Demonstration data." in changes and "<td>350</td>" in changes
