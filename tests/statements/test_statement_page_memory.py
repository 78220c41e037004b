"""A statement page is drawn from plain values, and each process keeps what it drew by those
values (statements/statement_page.py): whatever the page shows changes it on the next
request, whether or not a version of the page cache moved; only a request for the same
values is answered without drawing the templates again."""

import datetime
from pathlib import Path

import pytest

from statements import actions
from statements.models import Attachment, Edition, Observance, Topic
from statements.statement_page import _freeze
from tests.factories import EditionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(settings, publish):
    """A statement with a topic, a document and an observance; the page cache off, so every
    request reaches the view (as the first request after any change does)."""
    settings.PAGE_CACHE = False
    observance = Observance.objects.create(slug="mine-day", month=4, day=4, name_en="Mine day")
    statement = EditionFactory(title="Mine awareness", observance=observance)
    statement.topics.add(TopicFactory(name_en="Mine action"))
    Attachment.objects.create(
        edition=statement,
        title="Annex",
        file="attachments/annex.pdf",
        media_type="application/pdf",
        size=1000,
        position=0,
    )
    return publish(statement)


def drawn(response) -> bool:
    return "statements/detail.html" in [template.name for template in response.templates]


def test_the_same_page_is_drawn_once_per_process(client, page, publish):
    url = page.get_absolute_url()

    first = client.get(url)
    second = client.get(url)
    publish(EditionFactory(title="Another statement"))  # a change elsewhere
    third = client.get(url)

    assert drawn(first) and not drawn(second) and not drawn(third)
    assert first.content == second.content == third.content
    assert "Mine awareness" in first.text


def test_without_the_memory_every_request_draws_the_page(client, page, settings):
    settings.FRAGMENT_MEMORY = False
    url = page.get_absolute_url()

    assert drawn(client.get(url)) and drawn(client.get(url))


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda e: Edition.objects.filter(pk=e.pk).update(title="Retitled"), "Retitled"),
        (lambda e: Edition.objects.filter(pk=e.pk).update(place="Ganja"), "Ganja"),
        (lambda e: Topic.objects.update(name_en="Victim assistance"), "Victim assistance"),
        (lambda e: Attachment.objects.update(title="Annex II"), "Annex II"),
        (lambda e: Observance.objects.update(name_en="Renamed day"), "Renamed day"),
        (
            lambda e: Edition.objects.filter(pk=e.pk).update(body="<p>A corrected paragraph.</p>"),
            "A corrected paragraph.",
        ),
    ],
)
def test_a_change_of_what_the_page_shows_is_on_the_next_request_even_unannounced(
    client, page, change, shown
):
    """Written straight to the database (no version raised, no signal): the page is still
    drawn anew, because its values changed."""
    url = page.get_absolute_url()
    client.get(url)

    change(page)
    response = client.get(url)

    assert drawn(response)
    assert shown in response.text


def test_a_withdrawal_is_on_the_next_request(client, page, publisher):
    url = page.get_absolute_url()
    assert "Withdrawn on" not in client.get(url).text

    actions.withdraw(page, by=publisher, explanation="The figures were wrong.")

    text = client.get(url).text
    assert "Withdrawn on" in text and "The figures were wrong." in text


def test_each_host_and_language_gets_its_own_page(client, page, settings):
    settings.ALLOWED_HOSTS = ["testserver", "press.example.org"]
    url = page.get_absolute_url()

    here = client.get(url).text
    there = client.get(url, headers={"host": "press.example.org"}).text

    assert 'href="http://testserver/' in here and "press.example.org" not in here
    assert 'href="http://press.example.org/' in there and "testserver" not in there


def test_a_draft_shown_by_a_share_link_is_not_the_published_page(client, page, editor):
    from statements.sharing import make_token

    draft = actions.create_new_edition(page, by=editor)
    Edition.objects.filter(pk=draft.pk).update(title="Draft title")
    public = client.get(page.get_absolute_url()).text

    preview = client.get(f"/preview/{make_token(draft)}/").text

    assert "Draft — not published" in preview and "Draft title" in preview
    assert "Draft — not published" not in public and "Draft title" not in public


def test_only_plain_values_reach_the_template():
    """A model or a request among the values could show what the digest does not hold."""
    plain = {"a": [1, "x", None, datetime.date(2024, 4, 4)], "b": {"c": True}}
    assert _freeze(plain)
    with pytest.raises(TypeError, match="Edition"):
        _freeze({"statement": Edition()})
    # A string marked safe is drawn as it is: not the same value as the plain string.
    from django.utils.safestring import mark_safe

    assert _freeze({"a": "<b>"}) != _freeze({"a": mark_safe("<b>")})
    from django.utils.functional import lazy
    from django.utils.safestring import SafeString

    lazy_safe = lazy(lambda: mark_safe("<b>"), SafeString)()
    assert _freeze({"a": lazy_safe}) == _freeze({"a": mark_safe("<b>")})
    assert _freeze({"a": lazy_safe}) != _freeze({"a": "<b>"})
    assert _freeze({"a": 1, "b": 2}) != _freeze({"b": 2, "a": 1})  # JSON-LD keeps its order


def test_a_changed_template_under_the_development_server_is_drawn_anew(client, page, settings):
    """runserver reloads templates and catalogues without restarting: the pages drawn from
    the old ones are forgotten when it reports a changed file."""
    from django.utils.autoreload import file_changed

    url = page.get_absolute_url()
    client.get(url)
    assert not drawn(client.get(url))

    template = Path(settings.BASE_DIR) / "templates" / "statements" / "detail.html"
    results = file_changed.send(sender=None, file_path=template)

    assert drawn(client.get(url))
    # Only forgets: whether the server restarts stays the reloaders' decision.
    from statements.apps import forget_drawn

    assert (forget_drawn, None) in results


def test_values_of_plain_types_subclassed_are_plain_values_too():
    """A choice's enum member (a str) and a time from a test's frozen clock (a datetime) are
    told apart from the plain value of the same text, not refused."""
    from statements.models import Kind

    assert _freeze({"kind": Kind.STATEMENT}) != _freeze({"kind": "statement"})
    assert _freeze({"kind": Kind.STATEMENT}) == _freeze({"kind": Kind.STATEMENT})
    assert _freeze({"n": 1}) != _freeze({"n": "1"}) != _freeze({"n": True})
    assert _freeze({"a": ["x", "y"]}) != _freeze({"a": ("x", "y")}) != _freeze({"a": ["xy"]})
