"""Statements cite register snapshots: placeholders, the figures box, the figure check before
publishing, translations, the API, and figures that hold when the register changes."""

import datetime
import hashlib

import pytest
from django.core.cache import cache
from django.core.management import call_command

from demo.register import PERIOD, build_demo_register
from statements import actions, citations
from statements.models import Edition
from tests.factories import EditionFactory, UserFactory
from tests.sitemaps import every_sitemap
from tests.statements.test_admin import ADD, change_url, edit_data, form_data, workflow_url
from victims import snapshots
from victims.models import Casualty, Incident

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Since the end of the conflict, [[casualties]] people have become victims of mines; "
    "[[killed.civilian]] civilians were killed.</p>"
)


@pytest.fixture
def snapshot(settings):
    settings.CASUALTY_MIN_CELL = 5
    call_command("load_areas", "AZ", verbosity=0)
    build_demo_register(datetime.date(2026, 12, 6))
    cache.clear()
    reviewer = UserFactory(username="reviewer1", groups=["Register reviewers"])
    return snapshots.take(period_from=PERIOD[0], period_to=PERIOD[1], by=reviewer)


def page_of(client, edition):
    return client.get(edition.get_absolute_url())


# --- placeholders -----------------------------------------------------------------------------


def test_placeholders_are_rendered_from_the_cited_snapshot(client, snapshot, publish):
    edition = EditionFactory(body=BODY, figures_snapshot=snapshot)
    publish(edition)

    page = page_of(client, edition).text

    assert "Since the end of the conflict, 350 people have become victims" in page
    assert "50 civilians were killed" in page
    assert "[[" not in page


@pytest.mark.parametrize(
    ("language", "thousands", "share"),
    [("en", "12,345", "68%"), ("az", "12.345", "68%"), ("ru", "12\xa0345", "68\xa0%")],
)
def test_each_language_writes_numbers_its_own_way(language, thousands, share):
    figures = {"casualties": 12345, "share.outside_mapped_areas": 68}
    body = "<p>[[casualties]] people; [[share.outside_mapped_areas]] of incidents.</p>"

    rendered = citations.render(body, figures, language)

    assert rendered == f"<p>{thousands} people; {share} of incidents.</p>"


def test_a_russian_statement_renders_its_figures_in_russian(client, snapshot, publish):
    edition = EditionFactory(
        body="<p>[[share.outside_mapped_areas.last_year]] случаев.</p>",
        figures_snapshot=snapshot,
        document__language="ru",
    )
    publish(edition)

    share = snapshot.figures["share.outside_mapped_areas.last_year"]
    assert f"{share}\xa0% случаев" in page_of(client, edition).text


def test_an_unknown_placeholder_is_refused_on_save_with_the_valid_names(client, editor, snapshot):
    client.force_login(editor)

    page = client.post(
        ADD, form_data(body="<p>[[killed.civilians]] died.</p>", figures_snapshot=snapshot.pk)
    )

    assert page.status_code == 200
    assert "Unknown figure placeholder [[killed.civilians]]" in page.text
    assert "[[killed.civilian]], [[killed.military]]" in page.text
    assert not Edition.objects.exists()


def test_a_placeholder_without_a_cited_snapshot_is_refused(client, editor, snapshot):
    client.force_login(editor)

    page = client.post(ADD, form_data(body="<p>[[killed]] were killed.</p>"))

    assert page.status_code == 200
    assert "uses [[killed]] but cites no register snapshot" in page.text
    assert "The placeholders are: [[casualties]], [[killed]]" in page.text
    assert not Edition.objects.exists()


def test_a_figure_the_snapshot_hides_is_refused(client, editor, snapshot):
    # A period that starts after the register does: every figure is protected, and the few
    # deminers killed in 2023 are hidden.
    later = snapshots.take(
        period_from=datetime.date(2023, 1, 1), period_to=PERIOD[1], by=snapshot.taken_by
    )
    assert later.figures["killed.deminer"] is None
    client.force_login(editor)

    page = client.post(
        ADD, form_data(body="<p>[[killed.deminer]] deminers.</p>", figures_snapshot=later.pk)
    )

    assert "Snapshot 2 hides [[killed.deminer]]" in page.text
    assert not Edition.objects.exists()


def test_the_editor_sees_the_placeholders_beside_the_text(client, editor, snapshot):
    client.force_login(editor)

    page = client.get(ADD).text

    assert "[[share.outside_mapped_areas.last_year]]" in page
    assert "Snapshot 1: 2020-11-10 – 2024-04-04" in page


def test_a_valid_placeholder_is_saved_as_written(client, editor, snapshot):
    client.force_login(editor)

    saved = client.post(ADD, form_data(body=BODY, figures_snapshot=snapshot.pk))

    assert saved.status_code == 302
    edition = Edition.objects.get()
    assert "[[casualties]]" in edition.body and edition.figures_snapshot == snapshot


# --- the box, the digest, the API ----------------------------------------------------------


def test_the_page_shows_the_figures_box_with_a_link_to_the_snapshot(client, snapshot, publish):
    edition = EditionFactory(body=BODY, figures_snapshot=snapshot)
    publish(edition)

    page = page_of(client, edition).text

    assert "Figures as of 4 April 2024 — register snapshot 1" in page
    assert "<dt>Killed</dt><dd>65</dd>" in page
    assert 'href="/en/casualties/snapshots/1/"' in page


def test_the_canonical_text_and_its_digest_hold_the_rendered_numbers(client, snapshot, publish):
    edition = EditionFactory(body=BODY, figures_snapshot=snapshot)
    publish(edition)
    edition.refresh_from_db()

    canonical = client.get(edition.get_absolute_url() + "canonical.txt").content

    assert b"350 people" in canonical and b"[[" not in canonical
    assert hashlib.sha256(canonical).hexdigest() == edition.sha256


def test_the_api_names_the_cited_snapshot(client, snapshot, publish):
    edition = EditionFactory(body=BODY, figures_snapshot=snapshot)
    publish(edition)

    data = client.get(f"/api/v1/statements/{edition.document_id}/").json()

    assert data["figures"] == {
        "snapshot": 1,
        "url": "http://testserver/en/casualties/snapshots/1/",
        "sha256": snapshot.sha256,
    }
    assert "350 people" in data["body_html"]


def test_a_statement_without_a_snapshot_has_no_box_and_null_figures(client, publish):
    edition = EditionFactory()
    publish(edition)

    assert "register snapshot" not in page_of(client, edition).text
    assert client.get(f"/api/v1/statements/{edition.document_id}/").json()["figures"] is None


def test_the_register_changes_and_the_published_statement_does_not(client, snapshot, publish):
    edition = EditionFactory(body=BODY, figures_snapshot=snapshot)
    publish(edition)
    edition.refresh_from_db()
    before = (
        page_of(client, edition).text,
        client.get(edition.get_absolute_url() + "canonical.txt").content,
        client.get(f"/api/v1/statements/{edition.document_id}/").json(),
    )

    # Late reports, verification and discounting: the register's figures move...
    incident = Incident.objects.public().filter(occurred_on__lte=PERIOD[1]).first()
    Incident.objects.filter(pk=incident.pk).update(verification="discounted")
    Casualty.objects.filter(outcome="killed", status="civilian").first().delete()
    cache.clear()

    after = (
        page_of(client, edition).text,
        client.get(edition.get_absolute_url() + "canonical.txt").content,
        client.get(f"/api/v1/statements/{edition.document_id}/").json(),
    )
    assert after == before
    assert "350 people" in after[0]
    edition.refresh_from_db()
    assert hashlib.sha256(after[1]).hexdigest() == edition.sha256


# --- translations ----------------------------------------------------------------------------


def test_a_translation_follows_its_originals_snapshot(client, editor, snapshot, publish):
    original = EditionFactory(body=BODY, figures_snapshot=snapshot)
    publish(original)
    translation = actions.create_translation(original, by=editor, language="ru")
    assert translation.figures_snapshot == snapshot
    client.force_login(editor)

    # The field is shown but not chosen: a value posted for it is ignored.
    saved = client.post(
        change_url(translation),
        edit_data(
            translation,
            language="ru",
            body="<p>Погибли [[killed]] человек.</p>",
            figures_snapshot="",
        ),
    )

    assert saved.status_code == 302, saved.text
    translation.refresh_from_db()
    assert translation.figures_snapshot == snapshot
    assert "Погибли 65 человек" in translation.rendered_body


# --- the figure check ---------------------------------------------------------------------------


FIGURES = {
    "casualties": 462,
    "killed": 92,
    "injured": 370,
    "civilians": 300,
    "military": 120,
    "deminers": 42,
    "killed.civilian": 69,
    "killed.military": 22,
    "killed.deminer": 1,
    "injured.civilian": 231,
    "injured.military": 92,  # the same value as "killed": the words decide, not the value
    "injured.deminer": 41,
    "children": 23,
    "women_and_girls": 40,
    "incidents": 300,
    "share.outside_contact_line": 72,
    "share.outside_mapped_areas": 64,
    "share.outside_contact_line.last_year": 70,
    "share.outside_mapped_areas.last_year": 81,
}


def checked(body: str, language: str = "en") -> list[tuple[str, str, bool]]:
    return [
        (check.text, check.name, check.matches)
        for check in citations.figure_check(body, FIGURES, language)
        if not check.placeholder
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "462 people were harmed, and 92 of them killed.",
            [("462", "casualties", True), ("92", "killed", True)],
        ),
        ("92 civilians were killed.", [("92", "killed.civilian", False)]),
        ("23 servicemen were killed.", [("23", "killed.military", False)]),
        ("2 deminers were killed.", [("2", "killed.deminer", False)]),
        ("92 soldiers were injured.", [("92", "injured.military", True)]),
        ("461 people were harmed.", [("461", "casualties", False)]),
        (
            "More than 55 per cent of recent cases were outside the mapped areas.",
            [("55", "share.outside_mapped_areas.last_year", True)],
        ),
        (
            "More than 85 per cent of recent cases were outside the mapped areas.",
            [("85", "share.outside_mapped_areas.last_year", False)],
        ),
        ("About 460 people were harmed.", [("460", "casualties", True)]),
        # Not figures of the register: a date, a year, mines, an accuracy.
        ("On 4 April 2024 the Ministry spoke.", []),
        ("In 2022, more than 2,700 anti-personnel mines were found.", []),
        ("The maps handed over were about 25 per cent accurate.", []),
    ],
)
def test_the_figure_check_reads_what_a_number_written_by_hand_counts(sentence, expected):
    assert checked(f"<p>{sentence}</p>") == expected


def test_the_figure_check_reads_azerbaijani_and_russian():
    az = (
        "<p>Münaqişə başa çatandan bəri 461 nəfər zərər çəkib. Onlardan 92 nəfəri həlak olub: "
        "69 mülki şəxs və 23 hərbçi. Son hadisələrin 55 faizdən çoxu xəritələrin əhatə "
        "etmədiyi ərazilərdə baş verib.</p>"
    )
    ru = (
        "<p>После окончания конфликта пострадали 462 человек. 92 из них погибли: 69 мирных "
        "жителей и 23 военнослужащих. Более 90 процентов недавних случаев произошло за "
        "пределами районов, охваченных картами минных полей.</p>"
    )
    assert checked(az, "az") == [
        ("461", "casualties", False),
        ("92", "killed", True),
        ("69", "killed.civilian", True),
        ("23", "killed.military", False),
        ("55", "share.outside_mapped_areas.last_year", True),
    ]
    assert checked(ru, "ru") == [
        ("462", "casualties", True),
        ("92", "killed", True),
        ("69", "killed.civilian", True),
        ("23", "killed.military", False),
        ("90", "share.outside_mapped_areas.last_year", False),
    ]


def test_the_figure_check_lists_the_placeholders_too(snapshot):
    checks = citations.figure_check("<p>[[killed]] were killed.</p>", snapshot.figures, "en")
    assert [(c.text, c.name, c.placeholder, c.matches) for c in checks] == [
        ("65", "killed", True, True)
    ]


def test_a_contradicting_number_must_be_confirmed_before_publishing(
    client, editor, publisher, snapshot
):
    edition = EditionFactory(
        body="<p>[[casualties]] people; 49 civilians were killed.</p>", figures_snapshot=snapshot
    )
    actions.submit(edition, by=editor)
    client.force_login(publisher)

    page = client.get(workflow_url(edition, "publish")).text
    assert "Figure check" in page and "Contradicts the snapshot" in page
    assert "<td>50</td>" in page and "49 civilians were killed." in page

    refused = client.post(workflow_url(edition, "publish"), {"seen_version": edition.lock_version})
    assert refused.status_code == 200
    assert "Tick the box to confirm that you have checked" in refused.text
    edition.refresh_from_db()
    assert edition.state == "in_review"

    done = client.post(
        workflow_url(edition, "publish"),
        {"seen_version": edition.lock_version, "confirm_figures": "on"},
    )
    assert done.status_code == 302
    edition.refresh_from_db()
    assert edition.state == "published"


def test_figures_that_agree_need_no_confirmation(client, editor, publisher, snapshot):
    edition = EditionFactory(
        body="<p>[[casualties]] people; 50 civilians were killed.</p>", figures_snapshot=snapshot
    )
    actions.submit(edition, by=editor)
    client.force_login(publisher)

    page = client.get(workflow_url(edition, "publish")).text
    assert "Agrees: a placeholder would keep it right" in page
    assert "confirm_figures" not in page
    done = client.post(workflow_url(edition, "publish"), {"seen_version": edition.lock_version})
    assert done.status_code == 302


def test_the_readme_lists_every_placeholder():
    from pathlib import Path

    from victims.snapshots import PLACEHOLDERS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert [name for name in PLACEHOLDERS if f"`[[{name}]]`" not in readme] == []


# --- what the form refuses, and superseded snapshots ---------------------------------------------


def test_a_placeholder_in_the_title_or_summary_is_refused(client, editor, snapshot):
    client.force_login(editor)

    page = client.post(
        ADD,
        form_data(
            title="[[casualties]] casualties since 2020",
            summary="[[killed]] people were killed.",
            body=BODY,
            figures_snapshot=snapshot.pk,
        ),
    )

    assert page.text.count("are rendered in the body only") == 2
    assert not Edition.objects.exists()


def test_formatting_inside_a_placeholder_is_refused(client, editor, snapshot):
    client.force_login(editor)

    page = client.post(
        ADD,
        form_data(
            body="<p>[[<strong>casualties</strong>]] people and [[killed were killed.</p>",
            figures_snapshot=snapshot.pk,
        ),
    )

    assert "in one piece, with no formatting" in page.text
    assert "[[casualties]], [[" in page.text
    assert not Edition.objects.exists()


def test_a_misspelt_placeholder_gets_a_suggestion(client, editor, snapshot):
    client.force_login(editor)

    page = client.post(
        ADD, form_data(body="<p>[[killed.civilians]] died.</p>", figures_snapshot=snapshot.pk)
    )

    assert "did you mean [[killed.civilian]]?" in page.text


def test_a_superseded_snapshot_is_marked_refused_and_announced(client, editor, snapshot, publish):
    edition = EditionFactory(body=BODY, figures_snapshot=snapshot)
    publish(edition)
    newer = snapshots.take(
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        by=snapshot.taken_by,
        supersedes=snapshot,
        reason="Two incidents were entered twice.",
    )
    client.force_login(editor)

    form = client.get(ADD).text
    refused = client.post(ADD, form_data(body=BODY, figures_snapshot=snapshot.pk))
    page = client.get(edition.get_absolute_url()).text

    assert "— superseded by snapshot 2" in form
    assert "Snapshot 1 was superseded by snapshot 2: cite that one." in refused.text
    assert "This snapshot was later superseded by snapshot 2:" in page
    assert "Two incidents were entered twice." in page
    assert f'href="{newer.get_absolute_url()}"' in page


def test_the_api_links_a_translations_snapshot_in_its_language(client, editor, snapshot, publish):
    original = EditionFactory(body=BODY, figures_snapshot=snapshot)
    publish(original)
    russian = actions.create_translation(original, by=editor, language="ru")
    publish(russian)

    data = client.get(f"/api/v1/statements/{russian.document_id}/").json()

    assert data["figures"]["url"] == "http://testserver/ru/casualties/snapshots/1/"


def test_snapshots_are_found_from_the_casualty_page_the_sitemap_and_the_api_root(client, snapshot):
    assert 'href="/en/casualties/snapshots/"' in client.get("/en/casualties/").text
    sitemap = "".join(content.decode() for content in every_sitemap(client))
    assert "/az/casualties/snapshots/1/" in sitemap and "/en/casualties/snapshots/" in sitemap
    root = client.get("/api/v1/").json()
    assert root["casualty_snapshots"] == "http://testserver/api/v1/casualties/snapshots/"


def test_search_finds_a_statement_by_its_rendered_figures(client, snapshot, publish):
    from django.db import connection

    edition = EditionFactory(title="Mine awareness", body=BODY, figures_snapshot=snapshot)
    publish(edition)

    found = client.get("/en/statements/?q=350").text
    if connection.vendor == "postgresql":  # the full-text index holds the rendered body
        assert "Mine awareness" in found
        assert "Mine awareness" not in client.get("/en/statements/?q=killed.civilian").text
    else:  # SQLite's plain substring search reads the stored body: a known limit
        assert "Mine awareness" in client.get("/en/statements/?q=conflict").text
