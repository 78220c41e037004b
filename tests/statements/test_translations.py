import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from statements import actions
from statements.models import Edition, StatementEvent, WorkflowError
from statements.querysets import State
from tests.factories import EditionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(publish):
    statement = EditionFactory(title="English original", slug="original")
    statement.topics.set([TopicFactory()])
    return publish(statement)


def translate(statement, language, editor, publisher, title):
    draft = actions.create_translation(statement, by=editor, language=language)
    draft.title = title
    draft.save()
    actions.submit(draft, by=editor)
    actions.publish(draft, by=publisher)
    return draft


def test_add_translation_creates_a_linked_draft_with_the_content_to_translate(original, editor):
    draft = actions.create_translation(original, by=editor, language="ru")

    assert draft.state == State.DRAFT and draft.number == 1
    assert draft.document.language == "ru"
    assert draft.document.translation_key == original.document.translation_key
    assert draft.document.translated_from == original
    assert (draft.title, draft.body, draft.issued_on) == (
        original.title,
        original.body,
        original.issued_on,
    )
    assert set(draft.topics.all()) == set(original.topics.all())
    assert draft.document.first_published_at is None  # its own dates
    assert StatementEvent.objects.filter(
        action="create_translation", document=draft.document
    ).exists()


def test_a_language_cannot_get_two_versions(original, editor):
    actions.create_translation(original, by=editor, language="ru")

    with pytest.raises(WorkflowError, match="already has a version"):
        actions.create_translation(original, by=editor, language="ru")
    with pytest.raises(WorkflowError, match="already has a version"):
        actions.create_translation(original, by=editor, language="en")


def test_admin_shows_language_versions_side_by_side_and_adds_one(client, original, editor):
    client.force_login(editor)
    change = reverse("admin:statements_edition_change", args=[original.pk])

    before = client.get(change).text
    response = client.post(reverse("admin:statements_edition_translate", args=[original.pk, "az"]))
    after = client.get(change).text

    assert "Add translation: Azerbaijani" in before and "Add translation: Russian" in before
    assert response.status_code == 302
    version = Edition.objects.get(document__language="az")
    assert response["Location"] == reverse("admin:statements_edition_change", args=[version.pk])
    assert "Add translation: Azerbaijani" not in after
    assert re.search(
        r"Azerbaijani:</span>\s*<a href=\"[^\"]+\">English original</a>\s*\(Draft\)",
        after,
    )


def test_a_major_change_of_the_original_marks_the_translation_outdated(
    client, original, editor, publisher, publisher2
):
    russian = translate(original, "ru", editor, publisher, "Русская версия")
    assert russian.source_update() is None

    second = actions.create_new_edition(original, by=editor)
    actions.submit(second, by=editor)
    actions.publish(second, by=publisher2, minor_change=True)
    assert Edition.objects.get(pk=russian.pk).source_update() is None  # minor: still current

    third = actions.create_new_edition(second, by=editor)
    actions.submit(third, by=editor)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        actions.publish(third, by=publisher2, change_note="New figures.")
        russian = Edition.objects.get(pk=russian.pk)
        assert russian.source_update() == third

        page = client.get(russian.get_absolute_url()).text
        assert "Оригинал (English) обновлён" in page
        assert f'href="{third.get_absolute_url()}" hreflang="en"' in page
        client.force_login(editor)
        changelist = client.get(reverse("admin:statements_edition_changelist")).text
        outdated = (
            client.get(reverse("admin:statements_edition_changelist"), {"translation": "outdated"})
        ).text
    assert re.search(r"Русская версия.*?Outdated", changelist, re.S)
    assert "Русская версия" in outdated and ">English original<" not in outdated


def test_a_publisher_marks_the_translation_current_again(
    client, original, editor, publisher, publisher2
):
    russian = translate(original, "ru", editor, publisher, "Русская версия")
    second = actions.create_new_edition(original, by=editor)
    actions.submit(second, by=editor)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        actions.publish(second, by=publisher2, change_note="Changed.")
        client.force_login(publisher)

        response = client.post(
            reverse("admin:statements_edition_translation_current", args=[russian.pk])
        )

        assert response.status_code == 302
        russian = Edition.objects.get(pk=russian.pk)
        assert russian.source_update() is None
        assert "Оригинал (English) обновлён" not in client.get(russian.get_absolute_url()).text
    assert StatementEvent.objects.filter(action="mark_translation_current").exists()


def test_editors_cannot_mark_translations_current(client, original, editor, publisher):
    russian = translate(original, "ru", editor, publisher, "Русская версия")
    client.force_login(editor)

    client.post(reverse("admin:statements_edition_translation_current", args=[russian.pk]))

    assert not StatementEvent.objects.filter(action="mark_translation_current").exists()


def test_detail_page_links_the_other_published_versions_with_hreflang(
    client, original, editor, publisher
):
    russian = translate(original, "ru", editor, publisher, "Русская версия")
    actions.create_translation(original, by=editor, language="az")  # a draft: not linked

    page = client.get(original.get_absolute_url()).text

    assert f'<a href="{russian.get_absolute_url()}" hreflang="ru" lang="ru">Русский</a>' in page
    assert 'hreflang="az"' not in page.split("</head>")[0]
    head = page.split("</head>")[0]
    assert (
        f'<link rel="alternate" hreflang="en" href="http://testserver{original.get_absolute_url()}">'
        in head
    )
    assert (
        f'<link rel="alternate" hreflang="ru" href="http://testserver{russian.get_absolute_url()}">'
        in head
    )
    assert (
        f'<link rel="alternate" hreflang="x-default" href="http://testserver{original.get_absolute_url()}">'
        in head
    )


def test_language_switcher_goes_to_the_version_or_to_the_language_list(
    client, original, editor, publisher
):
    russian = translate(original, "ru", editor, publisher, "Русская версия")

    page = client.get(original.get_absolute_url()).text
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)

    assert f'href="{russian.get_absolute_url()}" hreflang="ru"' in switcher
    assert 'href="/az/statements/" hreflang="az"' in switcher
    assert f'href="{original.get_absolute_url()}" hreflang="en"' in switcher


@pytest.mark.parametrize("count", [1, 50])
def test_detail_page_queries_stay_constant_with_translations(
    client, publish, editor, publisher, count, django_assert_max_num_queries
):
    statements = [publish(EditionFactory()) for _ in range(count)]
    target = statements[-1]
    translate(target, "ru", editor, publisher, "Перевод")
    translate(target, "az", editor, publisher, "Tərcümə")

    with django_assert_max_num_queries(7):
        assert client.get(target.get_absolute_url()).status_code == 200
