"""Search in published statements: full-text on PostgreSQL, a plain match on SQLite.

On PostgreSQL each published edition gets a `search_vector` when it is published (published
editions never change, so it never goes stale), built with the text-search configuration of
its language (`english`, `russian`; `simple` for Azerbaijani, which PostgreSQL has no
stemmer for). Queries use the `websearch` syntax ("quoted phrases", -exclusion, or) and are
ranked with `SearchRank`; matched words are highlighted with `SearchHeadline`. On SQLite the
same page does a case-insensitive match of every word on title, summary and body, ranks title
matches first, then summary matches, and highlights in Python.
"""

import re

import nh3
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SEARCH_CONFIGS = {"en": "english", "ru": "russian", "az": "simple"}
MAX_QUERY_LENGTH = 200


def clean_query(query: str | None) -> str:
    """What the visitor typed, made safe to search: no NUL or control characters, at most
    200 characters, white space collapsed. Anything else is just text to look for."""
    query = "".join(ch for ch in (query or "") if ch.isprintable() or ch == " ")
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def index_for_search(statement) -> None:
    """Store the search vector of an edition being published (PostgreSQL only)."""
    if not uses_full_text():
        return
    config = SEARCH_CONFIGS.get(statement.document.language, "simple")
    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        # The body as readers see it: figure placeholders rendered ("350", not
        # "[[casualties]]").
        + SearchVector(
            Value(statement.rendered_body, output_field=TextField()), weight="C", config=config
        )
    )
    type(statement).objects.filter(pk=statement.pk).update(search_vector=vector)


def search(queryset: QuerySet, query: str, language: str | None) -> QuerySet:
    """Statements matching `query`, best first, each with `search_headline` to show. Without
    a language, the query is tried in every language's configuration."""
    query = clean_query(query)
    if not query:
        return queryset
    if uses_full_text():
        configs = (
            [SEARCH_CONFIGS[language]]
            if language in SEARCH_CONFIGS
            else [*dict.fromkeys(SEARCH_CONFIGS.values())]
        )
        config = configs[0]
        search_query = SearchQuery(query, search_type="websearch", config=config)
        for other in configs[1:]:
            search_query |= SearchQuery(query, search_type="websearch", config=other)
        return (
            queryset.filter(search_vector=search_query)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                search_headline=SearchHeadline(
                    Concat("summary", Value(" "), "body", output_field=TextField()),
                    search_query,
                    config=config,
                    start_sel="<mark>",
                    stop_sel="</mark>",
                    max_fragments=2,
                    max_words=30,
                    min_words=12,
                ),
            )
            .order_by("-rank", "-issued_on", "-pk")
        )
    words = query.split()
    matches = Q()
    for word in words:
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    # A rough rank, as on PostgreSQL: a match in the title counts most, then the summary.
    in_title = Q(*[Q(title__icontains=word) for word in words])
    in_summary = Q(*[Q(summary__icontains=word) for word in words])
    rank = Case(When(in_title, then=Value(3)), When(in_summary, then=Value(2)), default=Value(1))
    return (
        queryset.filter(matches)
        .annotate(rank=rank, search_headline=Value(""))
        .order_by("-rank", "-issued_on", "-pk")
    )


_mark_only = nh3.Cleaner(tags={"mark"}, attributes={})


def highlight(statement, query: str) -> SafeString:
    """The summary with the matched words marked. The database's headline is cleaned to
    allow `<mark>` only; on SQLite the summary is escaped and marked here."""
    headline = getattr(statement, "search_headline", "")
    if headline:
        return mark_safe(_mark_only.clean(headline))  # noqa: S308 - cleaned to <mark> only
    words = [word for word in clean_query(query).split() if len(word) > 1]
    summary = statement.summary
    if not words:
        return escape(summary)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(summary):
        parts += [escape(summary[last : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        last = match.end()
    parts.append(escape(summary[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped
