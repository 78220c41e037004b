import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.compiled import SETTINGS_COMMANDS
from statements import actions
from statements.models import Attachment, Observance
from tests.factories import EditionFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_statement_fields_are_all_there(api, publish, editor, publisher):
    observance = Observance.objects.create(slug="mine-day", month=4, day=4, name_en="Mine day")
    statement = EditionFactory(
        title="Mine awareness",
        place="Baku",
        reference_number="45/2024",
        observance=observance,
        image="statements/p.jpg",
        image_alt="Deminers",
        image_renditions=[{"width": 480, "name": "statements/renditions/p-480w.jpg"}],
    )
    statement.topics.set([TopicFactory(slug="mine-action", name_en="Mine action")])
    Attachment.objects.create(
        edition=statement,
        title="Annex",
        file="attachments/a.pdf",
        media_type="application/pdf",
        size=1234,
    )
    publish(statement)
    russian = actions.create_translation(statement, by=editor, language="ru")
    actions.submit(russian, by=editor)
    actions.publish(russian, by=publisher)

    data = api.get(f"/api/v1/statements/{statement.document_id}/").json()

    assert data["id"] == statement.document_id
    assert data["translation_key"] == str(statement.document.translation_key)
    assert (data["language"], data["kind"], data["title"], data["issued_on"]) == (
        "en",
        "statement",
        "Mine awareness",
        "2024-04-04",
    )
    assert data["body_html"] == "<p>The text of the statement.</p>"
    assert data["issuer"]["name"] == statement.issuer.name_en
    assert data["topics"] == [{"slug": "mine-action", "name": "Mine action"}]
    assert data["observance"] == {"slug": "mine-day", "name": "Mine day"}
    assert data["status"] == "published" and data["withdrawal"] is None
    assert data["translations"] == {
        "ru": {"id": russian.document_id, "url": f"http://testserver{russian.get_absolute_url()}"}
    }
    assert data["url"] == f"http://testserver{statement.get_absolute_url()}"
    assert data["short_url"] == f"http://testserver/s/{statement.document_id}/"
    assert data["image"] == {
        "alt": "Deminers",
        "renditions": [
            {"width": 480, "url": "http://testserver/media/statements/renditions/p-480w.jpg"}
        ],
    }
    assert data["attachments"] == [
        {
            "title": "Annex",
            "url": "http://testserver/media/attachments/a.pdf",
            "media_type": "application/pdf",
            "size": 1234,
        }
    ]
    assert len(data["sha256"]) == 64
    assert data["first_published_at"] and data["public_updated_at"]
    assert data["place"] == "Baku" and data["reference_number"] == "45/2024"


def test_withdrawn_statements_are_listed_with_their_withdrawal(api, publish, publisher):
    statement = publish(EditionFactory())
    actions.withdraw(statement, by=publisher, explanation="Superseded.")

    (item,) = api.get("/api/v1/statements/").json()["results"]

    assert item["status"] == "withdrawn"
    assert item["withdrawal"]["explanation"] == "Superseded."


def test_change_notes_are_included(api, publish, editor, publisher):
    first = publish(EditionFactory())
    second = actions.create_new_edition(first, by=editor)
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher, change_note="New figures.")

    data = api.get(f"/api/v1/statements/{first.document_id}/").json()

    assert [note["note"] for note in data["change_notes"]] == ["New figures."]


def test_hidden_statements_are_absent_from_every_endpoint(api, editor, publisher, publish):
    draft = EditionFactory()
    review = EditionFactory()
    actions.submit(review, by=editor)
    scheduled = EditionFactory()
    actions.submit(scheduled, by=editor)
    actions.schedule(scheduled, by=publisher, at=timezone.now() + datetime.timedelta(hours=1))
    gone = publish(EditionFactory())
    actions.unpublish(gone, by=publisher, explanation="Error.")
    visible = publish(EditionFactory())

    listed = ids(api.get("/api/v1/statements/"))
    changes = api.get("/api/v1/statements/changes/", {"since": "2000-01-01T00:00:00Z"}).json()

    assert listed == [visible.document_id]
    for hidden in (draft, review, scheduled):
        assert api.get(f"/api/v1/statements/{hidden.document_id}/").status_code == 404
        assert hidden.document_id not in [event["id"] for event in changes["results"]]
    assert api.get(f"/api/v1/statements/{gone.document_id}/").status_code == 410
    events = [(e["event"], e["id"]) for e in changes["results"] if e["id"] == gone.document_id]
    assert events == [("published", gone.document_id), ("unpublished", gone.document_id)]


def test_the_api_lists_exactly_what_the_pages_list(api, client, publish, publisher):
    import re

    for n in range(3):
        publish(EditionFactory(title=f"Visible {n}"))
    withdrawn = publish(EditionFactory(title="Withdrawn one"))
    actions.withdraw(withdrawn, by=publisher, explanation="x")

    api_titles = {item["title"] for item in api.get("/api/v1/statements/").json()["results"]}
    page_titles = set(
        re.findall(
            r'class="card__title"><a href="[^"]+">([^<]+)<',
            client.get("/en/statements/").content.decode(),
        )
    )

    assert api_titles == page_titles | {"Withdrawn one"}  # withdrawn: readable, not listed on pages


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"language": "ru"}, ["ru"]),
        ({"kind": "speech"}, ["speech"]),
        ({"topic": "mine-action"}, ["topic"]),
        ({"observance": "mine-day"}, ["observance"]),
        ({"issued_after": "2025-01-01"}, ["new"]),
        ({"issued_before": "2020-12-31"}, ["old"]),
        ({"q": "Kalbajar"}, ["search"]),
    ],
)
def test_filters(api, publish, query, expected):
    observance = Observance.objects.create(slug="mine-day", month=4, day=4, name_en="Mine day")
    made = {
        "ru": publish(EditionFactory(document=StatementFactory(language="ru"))),
        "speech": publish(EditionFactory(kind="speech")),
        "topic": publish(EditionFactory()),
        "observance": publish(EditionFactory(observance=observance)),
        "new": publish(EditionFactory(issued_on=datetime.date(2025, 6, 1))),
        "old": publish(EditionFactory(issued_on=datetime.date(2020, 6, 1))),
        "search": publish(EditionFactory(title="Mines found in Kalbajar")),
    }
    made["topic"].topics.add(TopicFactory(slug="mine-action"))

    assert ids(api.get("/api/v1/statements/", query)) == [
        made[name].document_id for name in expected
    ]


def test_updated_since_and_ordering(api, publish, editor, publisher):
    old = publish(EditionFactory(issued_on=datetime.date(2024, 1, 1)))
    cutoff = timezone.now()
    new = publish(EditionFactory(issued_on=datetime.date(2023, 1, 1)))

    since = ids(api.get("/api/v1/statements/", {"updated_since": cutoff.isoformat()}))
    by_update = ids(api.get("/api/v1/statements/", {"ordering": "-public_updated_at"}))
    by_issue = ids(api.get("/api/v1/statements/", {"ordering": "issued_on"}))

    assert since == [new.document_id]
    assert by_update == [new.document_id, old.document_id]
    assert by_issue == [new.document_id, old.document_id]


def test_cursor_pagination_walks_every_statement_once(api, publish):
    made = {publish(EditionFactory()).document_id for _ in range(7)}

    seen, url = [], "/api/v1/statements/?page_size=3"
    while url:
        body = api.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]

    assert sorted(seen) == sorted(made)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"kind": "tweet"}, "kind"),
        ({"language": "fr"}, "language"),
        ({"topic": "nope"}, "topic"),
        ({"issued_after": "04/04/2024"}, "issued_after"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),  # no UTC value
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"ordering": "title"}, "ordering"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(api, query, parameter):
    response = api.get("/api/v1/statements/", query)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"].startswith(f"{parameter}:")


def test_unknown_ids_and_endpoints_are_json_404s(api):
    assert api.get("/api/v1/statements/999999/").json() == {
        "detail": "no published statement has this id",
        "code": "not_found",
    }
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def reads(queries) -> list[str]:
    """The queries asked, without the settings commands around a query given PostgreSQL's
    generic plan (config/compiled.py)."""
    return [query["sql"] for query in queries if query["sql"] not in SETTINGS_COMMANDS]


@pytest.mark.parametrize("count", [1, 50])
def test_list_queries_do_not_grow(api, publish, count):
    for _ in range(count):
        statement = EditionFactory()
        statement.topics.add(TopicFactory())
        Attachment.objects.create(
            edition=statement, title="A", file="a.pdf", media_type="application/pdf", size=1
        )
        publish(statement)

    api.get("/api/v1/statements/?page_size=1")  # a connection's first JSON query checks support
    # The versions of what the public sees (pagecache), and the first page's statements with
    # their topics, documents, change notes and language versions.
    with CaptureQueriesContext(connection) as first:
        response = api.get("/api/v1/statements/?page_size=50")
    assert response.status_code == 200
    assert len(reads(first.captured_queries)) <= 2
    # A filtered page, or one after a cursor: the page's ids, then their statements.
    for url in ("/api/v1/statements/?page_size=50&kind=statement", response.json()["next"]):
        if url is None:
            continue
        with CaptureQueriesContext(connection) as other:
            assert api.get(url).status_code == 200
        assert len(reads(other.captured_queries)) <= 3


@pytest.mark.parametrize("ordering", [None, "issued_on", "-public_updated_at", "public_updated_at"])
def test_a_first_page_is_the_same_as_the_filtered_list(api, publish, editor, publisher, ordering):
    """The unfiltered first page is read in one compiled query (statements/api/views.py
    `Statements`); with a filter that keeps every statement, the same page comes through the
    general path: the two give the same statements, in the same order, field for field."""
    day = datetime.date(2024, 4, 4)
    for number in range(6):
        statement = EditionFactory(issued_on=day - datetime.timedelta(days=number // 2))
        statement.topics.add(TopicFactory())
        publish(statement)
        if number == 2:
            actions.withdraw(statement, by=publisher, explanation="Superseded by a later text.")
        if number == 3:
            second = actions.create_new_edition(statement, by=editor)
            actions.submit(second, by=editor)
            actions.publish(second, by=publisher, change_note="Figures for March added.")
    query = {"page_size": 4, **({"ordering": ordering} if ordering else {})}

    first = api.get("/api/v1/statements/", query).json()
    general = api.get("/api/v1/statements/", {**query, "issued_after": "1900-01-01"}).json()

    assert len(first["results"]) == 4
    assert first["results"] == general["results"]
    assert first["next"] is not None
    assert api.get(first["next"]).json()["results"] == [
        item
        for item in api.get("/api/v1/statements/", {**query, "page_size": 6}).json()["results"]
        if item not in first["results"]
    ]


def test_updated_since_takes_any_offset_python_reads(api, publish):
    """PostgreSQL refuses an offset beyond ±15:59 that ISO 8601 and Python allow: the time is
    compared in UTC, so a partner's odd offset is an answer, not a server error."""
    publish(EditionFactory(title="Recently updated"))
    response = api.get("/api/v1/statements/", {"updated_since": "0031-01-13T15:05:55+18:20"})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == ["Recently updated"]
    future = api.get("/api/v1/statements/", {"updated_since": "9999-12-31T23:00:00-18:20"})
    assert future.status_code == 400  # beyond the calendar in UTC


def test_first_pages_of_every_size_share_ten_compiled_queries_per_ordering(api, publish):
    """A first page is read by a query compiled per ordering and size in steps of ten
    (statements/api/views.py `first_page`): a caller walking through every page size gets
    each size right, and cannot make the process compile (and keep) a query for each."""
    from statements.api.views import first_page

    for _ in range(12):
        publish(EditionFactory())
    first_page.cache_clear()
    everything = ids(api.get("/api/v1/statements/", {"page_size": 100}))
    for size in range(1, 101):
        response = api.get("/api/v1/statements/", {"page_size": size})
        assert ids(response) == everything[:size]
        assert (response.json()["next"] is None) == (size >= 12)

    assert first_page.cache_info().currsize == 10
