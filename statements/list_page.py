"""The statement list, drawn from plain values as a statement page is (statement_page.py).

Profiled on PostgreSQL with 1,000 statements, an uncached list took some 17 ms: its
templates (base.html, the filter form, twenty cards) about 6, building and running the year
counts 3, the twenty statements as model instances 3.3, and making the filter set and its
form 2.5. Here:

- the statements of a list filtered by nothing (at most a page number) are read as rows of
  what a card shows, by a query compiled once per process and page (config/compiled.py);
  a filtered list or a search still goes through the filter set, and is read as rows too;
- the unfiltered list's filter form is drawn once per process for the same language, years
  and topics (a filtered list's form is drawn each time);
- the page is drawn from plain values (`statement_page.draw`): every query runs on every
  request, and a change of anything the list shows draws it anew. A page of search results,
  or with a parameter unknown or repeated, is drawn each time and not kept
  (`worth_keeping`).
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any, NamedTuple

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from config.compiled import SAMPLE_TIMES, CompiledQuery
from statements.addresses import statement_path
from statements.models import Edition, Topic

PAGE_SIZE = 20
TEMPLATE = "statements/list.html"
FORM_TEMPLATE = "statements/_filter_form.html"
# What a card shows of a statement, in the order of `Card`'s first fields.
CARD_FIELDS = ("issued_on", "slug", "title", "kind", "place", "summary")
ORDER = ("-issued_on", "-go_live_at")


class Card(NamedTuple):
    """A statement as its card in a list shows it (statement_tags.card reads these)."""

    language: str
    issued_on: datetime.date
    slug: str
    title: str
    kind: str
    place: str
    summary: str
    search_headline: str = ""
    highlighted: str = ""

    def get_absolute_url(self) -> str:
        return statement_path(self.language, self.issued_on, self.slug)


def listed(language: str, at: datetime.datetime | None = None):
    """The listed statements of a language, newest first by issue date."""
    return Edition.objects.listed(at).in_language(language).order_by(*ORDER)


def cards_of(language: str, rows) -> list[Card]:
    return [Card(language, *row) for row in rows]


_SAMPLES = (
    {"language": "en", "at": SAMPLE_TIMES[0]},
    {"language": "ru", "at": SAMPLE_TIMES[1]},
)
# One compiled query per page of the unfiltered list (the page's offset is part of the SQL).
# The first page's with PostgreSQL's generic plan (config/compiled.py): 1.05 ms instead of
# 1.46 over 1,000 statements. Not the later pages': at an offset of 20 the generic plan took
# 3.1 ms where the plan made for the time took 1.7.
_PAGES: dict[int, CompiledQuery] = {}


def _page_query(offset: int) -> CompiledQuery:
    query = _PAGES.get(offset)
    if query is None:
        query = _PAGES[offset] = CompiledQuery(
            lambda language, at: listed(language, at).values_list(*CARD_FIELDS)[
                offset : offset + PAGE_SIZE
            ],
            samples=_SAMPLES,
            generic_plan=offset == 0,
        )
    return query


class UnfilteredRows:
    """The unfiltered list for a paginator that is told its count: a slice is one compiled
    query for that page."""

    def __init__(self, language: str, at: datetime.datetime, count: int):
        self.language, self.at, self.count = language, at, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, part: slice) -> list[Card]:
        start, stop = part.start or 0, min(part.stop, self.count)
        if start % PAGE_SIZE:  # a paginator's slices start at a page
            raise ValueError(f"{start} is not the start of a page")
        rows = _page_query(start)(language=self.language, at=self.at)[: stop - start]
        return cards_of(self.language, rows)


class CountedPaginator(Paginator):
    """A paginator told how many items there are when that is already known (the list's
    filters count the statements of each year), else counting them as Django's does."""

    def __init__(self, object_list, per_page, *, count: int | None = None):
        super().__init__(object_list, per_page)
        if count is not None:
            self.count = count  # Django's is a cached_property: set on the instance


def unfiltered_page(language: str, by_year: dict, number) -> Page:
    count = sum(by_year.values())
    rows = UnfilteredRows(language, timezone.now(), count)
    return CountedPaginator(rows, PAGE_SIZE, count=count).get_page(number)


def page_values(
    request, page: Page, *, cards: str, filter_form: SafeString, query: str, q: str
) -> dict[str, Any]:
    """What list.html and base.html show, as plain values."""
    from statements.statement_page import shell_values

    return {
        **shell_values(request),
        "filter_form": filter_form,
        "cards": cards,
        "statement_count": page.paginator.count,
        "page": {
            "number": page.number,
            "num_pages": page.paginator.num_pages,
            "has_other_pages": page.has_other_pages(),
            "previous": page.previous_page_number() if page.has_previous() else None,
            "next": page.next_page_number() if page.has_next() else None,
        },
        "query": query,
        "q": q,
        # A page of search results is not a page to index, nor one with language versions.
        "searching": bool(request.GET.get("q", "").strip()),
    }


TOPIC_ROWS: CompiledQuery[Any] = CompiledQuery(
    lambda: Topic.objects.values_list("pk", "slug", "name_en", "name_az", "name_ru"),
    samples=({}, {}),
)


def filter_form(
    language: str, by_year: dict, chosen: tuple[tuple[str, str], ...] | None, make_filterset
) -> SafeString:
    """The filter form for these choices and chosen values (`make_filterset` makes the
    filter set whose form is drawn). The form of the unfiltered list (`chosen` None) is
    drawn once per process for the same language, years and topics; a filtered one each
    time, so that no query string can fill the process's memory with forms."""
    from pagecache.middleware import local

    topics = tuple(TOPIC_ROWS())
    if not settings.FRAGMENT_MEMORY or chosen is not None:
        return _draw_form(make_filterset(), topics)
    frozen = (language, sorted(by_year.items(), key=str), topics)
    key = "filter-form:" + hashlib.sha256(repr(frozen).encode()).hexdigest()
    found = local.get(key)
    if found is not None:
        return found[0]
    html = _draw_form(make_filterset(), topics)
    local.set(key, (html,), settings.PAGE_CACHE_SECONDS, len(html) * 2)
    return html


def _draw_form(filterset, topics: tuple) -> SafeString:
    """The filter set's form, its topics to choose from being `topics` (rows of TOPIC_ROWS,
    read once for the key and the form), labelled as the topic field labels them."""
    field = filterset.form.fields["topic"]
    field.widget.choices = [
        ("", field.empty_label),
        *(
            (
                slug,
                field.label_from_instance(
                    Topic(id=pk, slug=slug, name_en=name_en, name_az=name_az, name_ru=name_ru)
                ),
            )
            for pk, slug, name_en, name_az, name_ru in topics
        ),
    ]
    return mark_safe(render_to_string(FORM_TEMPLATE, {"filter": filterset}))  # noqa: S308


FILTERS = ("kind", "topic", "year")


def worth_keeping(params, status: int) -> bool:
    """Whether a drawn list page is kept in the process's memory: only a valid list whose
    query string names each of the list's own parameters at most once. A search (its words
    are anything a visitor types), an unknown parameter or a repeated one would let query
    strings fill that memory, each with a page of its own."""
    return status == 200 and all(
        name in (*FILTERS, "page") and len(params.getlist(name)) == 1 for name in params
    )


def is_unfiltered(params) -> bool:
    """Whether a list's query string sets nothing but the page."""
    return all(name == "page" for name in params)


def chosen_filters(params, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, params.get(name, "")) for name in names)
