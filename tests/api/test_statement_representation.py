"""The API writes its statements out by hand (`represent` in statements/api/serializers.py)
and reads a page's topics, attachments, change notes and language versions as JSON rows of
one compiled query (`with_parts` in statements/api/views.py), for speed. DRF's generic path
over the serializer's declared fields, on an edition loaded by the ORM with everything
prefetched and its change notes and language versions read by plain querysets, is the
reference: every endpoint must give exactly what it gives."""

import datetime
import json

import pytest
from django.db.models import Prefetch
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from config.api import ORJSONRenderer
from statements import actions
from statements.api.serializers import StatementSerializer
from statements.models import Attachment, Edition, Observance, Topic
from tests.factories import EditionFactory, TopicFactory
from tests.statements.test_citations import BODY, snapshot  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def reference(document_id: int) -> dict:
    """The statement as DRF's ModelSerializer gives it from the declared fields, through the
    API's renderer."""
    request = APIRequestFactory().get("/")
    instance = (
        Edition.objects.published()
        .for_display()
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("slug")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk")),
        )
        .get(document=document_id)
    )
    context = {"request": request, **reference_context(instance)}
    serializer = StatementSerializer(instance, context=context)
    data = serializers.ModelSerializer.to_representation(serializer, instance)
    return json.loads(ORJSONRenderer().render(data))


def reference_context(statement: Edition) -> dict:
    """The change notes (newest first) and published language versions of a statement, by
    plain querysets."""
    notes = list(
        Edition.objects.went_live()
        .filter(document=statement.document_id, minor_change=False, number__gt=1)
        .exclude(change_note="")
        .order_by("-go_live_at")
        .values_list("change_note", "public_updated_at")
    )
    key = statement.document.translation_key
    return {
        "change_notes": {statement.document_id: notes},
        "translations": Edition.objects.published().version_addresses([key]),
    }


@pytest.fixture
def statements(publish, editor, publisher, snapshot):  # noqa: F811
    """Statements with every part filled, and with every part empty or null."""
    observance = Observance.objects.create(slug="mine-day", month=4, day=4, name_en="Mine day")
    full = EditionFactory(
        title="Mine awareness",
        slug="mine-awareness-şəhər",
        body=BODY,
        figures_snapshot=snapshot,
        place="Baku",
        reference_number="45/2024",
        observance=observance,
        image="statements/p.jpg",
        image_alt="Deminers",
        image_renditions=[
            {"width": 480, "name": "statements/renditions/p-480w.jpg"},
            {"width": 960, "name": "statements/renditions/p-960w.jpg"},
        ],
    )
    # Slugs and names in opposite orders: the API orders topics by slug.
    full.topics.set(
        [
            TopicFactory(slug="a-victims", name_en="Victims"),
            TopicFactory(slug="b-mines", name_en="Anti-personnel mines"),
        ]
    )
    publish(full)
    russian = actions.create_translation(full, by=editor, language="ru")
    actions.submit(russian, by=editor)
    actions.publish(russian, by=publisher)
    update = actions.create_new_edition(full, by=editor)
    # Added in the opposite order to their positions: the API orders them by position.
    for position, title in ((2, "Second annex"), (1, "First annex")):
        Attachment.objects.create(
            edition=update,
            title=title,
            file=f"attachments/{position}.pdf",
            media_type="application/pdf",
            size=1000 + position,
            position=position,
        )
    actions.submit(update, by=editor)
    actions.publish(update, by=publisher, change_note="Figures of March added.")
    # A minor change (no note shown) and a second major one, newest first in the notes.
    for minor, note in ((True, "Typo."), (False, "Figures of April added.")):
        later = actions.create_new_edition(full.document.editions.latest("number"), by=editor)
        actions.submit(later, by=editor)
        actions.publish(later, by=publisher, change_note=note, minor_change=minor)
    # A translation scheduled for tomorrow is not a language version yet.
    azerbaijani = actions.create_translation(full, by=editor, language="az")
    actions.submit(azerbaijani, by=editor)
    actions.schedule(azerbaijani, by=publisher, at=timezone.now() + datetime.timedelta(days=1))
    bare = publish(EditionFactory(title="Bare", place="", reference_number=""))
    withdrawn = publish(EditionFactory(title="Withdrawn"))
    actions.withdraw(withdrawn, by=publisher, explanation="Superseded by a later statement.")
    return [full.document_id, russian.document_id, bare.document_id, withdrawn.document_id]


def test_the_list_gives_what_the_generic_serializer_gives(api, statements):
    results = api.get("/api/v1/statements/?page_size=100").json()["results"]

    assert sorted(item["id"] for item in results) == sorted(statements)
    for item in results:
        assert item == reference(item["id"])
    full = next(item for item in results if item["id"] == statements[0])
    # The reference is not empty where it matters: each part was filled.
    assert [topic["slug"] for topic in full["topics"]] == ["a-victims", "b-mines"]
    assert [a["title"] for a in full["attachments"]] == ["First annex", "Second annex"]
    assert full["figures"]["snapshot"] == 1 and "[[" not in full["body_html"]
    assert [note["note"] for note in full["change_notes"]] == [
        "Figures of April added.",
        "Figures of March added.",
    ]
    assert list(full["translations"]) == ["ru"]
    assert len(full["image"]["renditions"]) == 2
    assert full["url"].endswith("/mine-awareness-%C5%9F%C9%99h%C9%99r/")


def test_the_detail_and_the_change_feed_give_it_too(api, statements):
    for document_id in statements:
        assert api.get(f"/api/v1/statements/{document_id}/").json() == reference(document_id)
    feed = api.get("/api/v1/statements/changes/", {"since": "2000-01-01T00:00:00Z"}).json()
    latest = {event["id"]: event["statement"] for event in feed["results"]}
    for document_id in statements:
        assert latest[document_id] == reference(document_id)


def test_language_versions_are_listed_in_the_editions_order(api, publish, editor, publisher):
    """Newest go-live first, as the editions' default ordering gives them (and as partners
    have always received them), in the list and the detail."""
    english = publish(EditionFactory(title="Original"))
    for language in ("ru", "az"):
        translation = actions.create_translation(english, by=editor, language=language)
        actions.submit(translation, by=editor)
        actions.publish(translation, by=publisher)
    key = english.document.translation_key
    expected = [
        language
        for language in Edition.objects.published().version_addresses([key])[key]
        if language != "en"
    ]
    assert expected == ["az", "ru"]
    detail = api.get(f"/api/v1/statements/{english.document_id}/").json()
    assert list(detail["translations"]) == expected
    listed = api.get("/api/v1/statements/", {"language": "en"}).json()["results"]
    assert list(listed[0]["translations"]) == expected
