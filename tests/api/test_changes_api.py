import datetime

import pytest
import time_machine
from django.utils import timezone

from statements import actions
from tests.factories import EditionFactory, StatementFactory

pytestmark = pytest.mark.django_db
START = "2000-01-01T00:00:00Z"


def all_events(api, since=START, page_size=2):
    events, url, params = (
        [],
        "/api/v1/statements/changes/",
        {"since": since, "page_size": page_size},
    )
    while url:
        body = api.get(url, params).json()
        events += body["results"]
        url, params = body["next"], None
    return events


def mirror_from(events) -> dict:
    mirror = {}
    for event in events:
        if event["event"] == "unpublished":
            mirror.pop(event["id"], None)
        elif event["statement"] is not None:
            mirror[event["id"]] = event["statement"]
        else:
            mirror.pop(event["id"], None)
    return mirror


def test_a_mirror_built_only_from_the_change_feed_matches_the_live_list(
    api, publish, editor, publisher
):
    clock = timezone.now() - datetime.timedelta(days=30)

    def later():
        nonlocal clock
        clock += datetime.timedelta(hours=1)
        return time_machine.travel(clock, tick=False)

    with later():
        kept = publish(EditionFactory(title="Kept"))
    with later():
        updated = publish(EditionFactory(title="Before the update"))
    with later():
        second = actions.create_new_edition(updated, by=editor)
        second.title = "After the update"
        second.save()
        actions.submit(second, by=editor)
    with later():
        actions.publish(second, by=publisher, change_note="Retitled.")
    with later():
        minor = publish(EditionFactory(title="Minor"))
    with later():
        fix = actions.create_new_edition(minor, by=editor)
        fix.summary = "Typo fixed"
        fix.save()
        actions.submit(fix, by=editor)
    with later():
        actions.publish(fix, by=publisher, minor_change=True)
    with later():
        withdrawn = publish(EditionFactory(title="Withdrawn"))
    with later():
        actions.withdraw(withdrawn, by=publisher, explanation="Old.")
    with later():
        removed = publish(EditionFactory(title="Removed"))
    with later():
        actions.unpublish(removed, by=publisher, explanation="In error.")
    with later():
        publish(EditionFactory(title="Russian", document=StatementFactory(language="ru")))

    events = all_events(api)
    live = {
        item["id"]: item for item in api.get("/api/v1/statements/?page_size=100").json()["results"]
    }

    assert mirror_from(events) == live
    kinds = [(e["event"], e["change"]) for e in events]
    assert ("updated", "major") in kinds and ("updated", "minor") in kinds
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    tombstone = next(e for e in events if e["event"] == "unpublished")
    assert tombstone["statement"] is None and tombstone["id"] == removed.document_id
    assert kept.document_id in mirror_from(events)


def test_changes_since_a_time_leave_out_what_came_before(api, publish):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2), tick=False):
        publish(EditionFactory(title="Old"))
    cutoff = timezone.now() - datetime.timedelta(days=1)
    new = publish(EditionFactory(title="New"))

    events = all_events(api, since=cutoff.isoformat())

    assert [(e["event"], e["id"]) for e in events] == [("published", new.document_id)]


def test_a_scheduled_publication_appears_in_the_feed_only_at_its_time(api, editor, publisher):
    statement = EditionFactory()
    actions.submit(statement, by=editor)
    at = timezone.now() + datetime.timedelta(hours=1)
    actions.schedule(statement, by=publisher, at=at)

    assert all_events(api) == []
    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        assert [e["event"] for e in all_events(api)] == ["published"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({}, "since"),
        ({"since": "last week"}, "since"),
        ({"since": START, "page_size": "0"}, "page_size"),
        ({"since": START, "cursor": "%%%"}, "cursor"),
    ],
)
def test_bad_parameters_are_a_400(api, query, parameter):
    response = api.get("/api/v1/statements/changes/", query)

    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{parameter}:")


@pytest.mark.parametrize("count", [1, 50])
def test_change_feed_queries_do_not_grow(api, publish, count, django_assert_max_num_queries):
    for _ in range(count):
        publish(EditionFactory())

    # The versions of what the public sees, the three kinds of event, and the statements with
    # what they show.
    with django_assert_max_num_queries(5):
        assert (
            api.get("/api/v1/statements/changes/", {"since": START, "page_size": 100}).status_code
            == 200
        )
