"""Public statement pages. Each view picks a queryset from `Edition.objects.published()` and a
template; the visibility rule lives in querysets.py only."""

import datetime

from django.conf import settings
from django.db.models import Count, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, get_language_info

from config.aggregates import json_moment, json_rows
from config.compiled import SAMPLE_TIMES, CompiledQuery
from config.context_processors import switcher_for
from pagecache.middleware import LIST_KEY, statement_key, surrogate_keys
from statements import citations, list_page, statement_page
from statements.authenticity import canonical_text
from statements.filters import StatementFilter, statements_by_year
from statements.models import Attachment, Edition, Kind, Observance, Statement, Topic
from statements.querysets import State
from statements.search import clean_query, highlight
from statements.sharing import statement_for_token
from statements.templatetags import statement_tags

UPCOMING_OBSERVANCE_DAYS = 60


# The two questions asked on nearly every request, built and compiled once per process
# (config/compiled.py): the latest statements of the home page, and a statement with its
# language versions by its address.
LATEST = CompiledQuery(
    lambda language, at: public_statements(language, listed=True, at=at).values_list(
        *list_page.CARD_FIELDS
    )[:10],
    samples=(
        {"language": "en", "at": SAMPLE_TIMES[0]},
        {"language": "ru", "at": SAMPLE_TIMES[1]},
    ),
    # 0.9 ms instead of 1.3 over 1,000 statements (config/compiled.py).
    generic_plan=True,
)
AT_ADDRESS = CompiledQuery(
    lambda language, issued_on, slug, at: (
        Edition.objects.published(at)
        .filter(
            document__translation_key__in=Statement.objects.filter(
                language=language, editions__issued_on=issued_on, editions__slug=slug
            ).values("translation_key")
        )
        .for_page()
    ),
    samples=(
        {
            "language": "en",
            "issued_on": datetime.date(2000, 1, 1),
            "slug": "a",
            "at": SAMPLE_TIMES[0],
        },
        {
            "language": "ru",
            "issued_on": datetime.date(2001, 2, 3),
            "slug": "b",
            "at": SAMPLE_TIMES[1],
        },
    ),
)


# What a statement page shows of one edition beyond its row: its topics, ordered by the
# database (its collation orders the names as the list's topic filter does), and, in one
# query, its documents and the editions of the statement that went live up to it (change
# notes, first time live), each as a JSON array of rows.
TOPICS_OF = CompiledQuery(
    lambda edition: Topic.objects.filter(statements=edition).order_by("name_en", "pk"),
    samples=({"edition": 1}, {"edition": 2}),
)
ATTACHMENT_FIELDS = ("id", "title", "file", "media_type", "size", "position")
HISTORY_FIELDS = ("id", "number", "minor_change", "change_note", "go_live_at", "public_updated_at")


PARTS_OF = CompiledQuery(
    lambda edition, now: (
        Edition.objects.filter(pk=edition)
        .order_by()
        .annotate(
            attachment_rows=json_rows(
                Attachment.objects.filter(edition=OuterRef("pk")),
                "edition",
                {name: name for name in ATTACHMENT_FIELDS},
            ),
            history_rows=json_rows(
                Edition.objects.filter(document=OuterRef("document"))
                .went_live(now)
                .filter(go_live_at__lte=OuterRef("go_live_at")),
                "document",
                {name: name for name in HISTORY_FIELDS},
            ),
        )
        .values_list("attachment_rows", "history_rows")
    ),
    samples=({"edition": 1, "now": SAMPLE_TIMES[0]}, {"edition": 2, "now": SAMPLE_TIMES[1]}),
)


def page_parts(statement: Edition) -> tuple[list[Topic], list[Attachment]]:
    """The topics (by English name) and documents (in their order) of the edition a page
    shows; its history is kept on it (`Edition.keep_public_history`). Two queries."""
    topics = TOPICS_OF(edition=statement.pk)
    found = PARTS_OF(edition=statement.pk, now=timezone.now())
    attachment_rows, history_rows = found[0] if found else (None, None)
    attachments = sorted(
        (Attachment(**row) for row in attachment_rows or []),
        key=lambda attachment: (attachment.position, attachment.pk),
    )
    if statement.go_live_at:
        statement.keep_public_history(
            [
                Edition(
                    **{
                        **row,
                        "minor_change": bool(row["minor_change"]),
                        "go_live_at": json_moment(row["go_live_at"]),
                        "public_updated_at": json_moment(row["public_updated_at"]),
                    }
                )
                for row in history_rows or []
            ]
        )
    return topics, attachments


def public_statements(language: str, *, listed: bool = False, at=None):
    """Published statements of a language, with what their cards in a list show. `listed`
    leaves out withdrawn ones, which stay readable at their address but drop out of lists."""
    statements = Edition.objects.listed(at) if listed else Edition.objects.published(at)
    return statements.in_language(language).for_cards()


def cache_public(response: HttpResponse, *keys: str) -> HttpResponse:
    """Let browsers and proxies keep a public page for PUBLIC_CACHE_SECONDS, always the same:
    a lifetime that shrank towards the next scheduled publication would tell anyone when an
    embargo ends. A scheduled statement so reaches every reader within that many seconds of
    its time (the server-side page cache, not this header, is what must be exact). `keys`
    name what the page shows, for purging a CDN (pagecache/middleware.py)."""
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    surrogate_keys(response, list(keys))
    return response


OBSERVANCES = CompiledQuery(lambda: Observance.objects.all(), samples=({}, {}))


def upcoming_observances(today: datetime.date, days: int = UPCOMING_OBSERVANCE_DAYS):
    """Observances whose next day falls within `days` from today, soonest first."""
    upcoming = [(observance.next_date(today), observance) for observance in OBSERVANCES()]
    return sorted(
        ((day, observance) for day, observance in upcoming if (day - today).days <= days),
        key=lambda pair: pair[0],
    )


def home(request: HttpRequest) -> HttpResponse:
    """The latest statements and the coming observances, drawn from plain values as the list
    is (statements/list_page.py)."""
    language = get_language()
    latest = list_page.cards_of(language, LATEST(language=language, at=timezone.now()))
    values = {
        **statement_page.shell_values(request),
        "cards": statement_tags.cards(latest),
        "observances": [
            {"day": day, "url": observance.get_absolute_url(), "name": observance.name}
            for day, observance in upcoming_observances(timezone.localdate())
        ],
    }
    response = HttpResponse(statement_page.draw(values, "statements/home.html"))
    return cache_public(response, LIST_KEY)


def statement_list(request: HttpRequest) -> HttpResponse:
    """Newest first by issue date (best match first when searching), filtered by kind, topic
    and year; drawn from plain values (statements/list_page.py)."""
    language = get_language()
    by_year = statements_by_year(language)
    params = request.GET

    def make_filterset():
        return StatementFilter(
            params or None,
            queryset=list_page.listed(language),
            language=language,
            by_year=by_year,
        )

    status = 200
    query = clean_query(params.get("q"))
    if list_page.is_unfiltered(params):
        page = list_page.unfiltered_page(language, by_year, params.get("page"))
        chosen = None
    else:
        filterset = make_filterset()
        chosen = list_page.chosen_filters(params, tuple(filterset.filters))
        if filterset.is_valid():
            fields = list_page.CARD_FIELDS + (("search_headline",) if query else ())
            rows = filterset.qs.values_list(*fields)
        else:
            status = 400
            rows = Edition.objects.none().values_list(*list_page.CARD_FIELDS)
        count = filterset.count()
        paginator = list_page.CountedPaginator(rows, list_page.PAGE_SIZE, count=count)
        page = paginator.get_page(params.get("page"))
        page.object_list = list_page.cards_of(language, page.object_list)
        make_filterset = lambda: filterset  # noqa: E731 (the form of this very filter set)
    cards = page.object_list
    if query:
        cards = [card._replace(highlighted=highlight(card, query)) for card in cards]
    others = params.copy()
    others.pop("page", None)
    values = list_page.page_values(
        request,
        page,
        cards=statement_tags.cards(cards, heading_level=2),
        filter_form=list_page.filter_form(language, by_year, chosen, make_filterset),
        query=others.urlencode(),
        q=query,
    )
    keep = list_page.worth_keeping(params, status)
    page_html = statement_page.draw(values, list_page.TEMPLATE, keep=keep)
    response = HttpResponse(page_html, status=status)
    return cache_public(response, LIST_KEY)


def observance_list(request: HttpRequest) -> HttpResponse:
    """Every observance, soonest first, with its next date and how many statements in the
    reader's language its page lists."""
    today = timezone.localdate()
    counts = dict(
        Edition.objects.listed()
        .in_language(get_language())
        .filter(observance__isnull=False)
        .order_by()
        .values("observance")
        .annotate(count=Count("pk"))
        .values_list("observance", "count")
    )
    observances = sorted(
        (
            {
                "observance": observance,
                "next_date": observance.next_date(today),
                "count": counts.get(observance.pk, 0),
            }
            for observance in Observance.objects.all()
        ),
        key=lambda item: (item["next_date"], item["observance"].name),
    )
    return cache_public(
        render(request, "statements/observances.html", {"observances": observances}), LIST_KEY
    )


def observance_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An observance's statements across the years, newest first."""
    observance = get_object_or_404(Observance, slug=slug)
    statements = (
        public_statements(get_language(), listed=True)
        .filter(observance=observance)
        .order_by("-issued_on", "-go_live_at")
    )
    context = {
        "observance": observance,
        "statements": statements,
        "next_date": observance.next_date(timezone.localdate()),
    }
    return cache_public(render(request, "statements/observance.html", context), LIST_KEY)


def statement_detail(request: HttpRequest, year: int, month: int, day: int, slug: str):
    statement = _find(request, year, month, day, slug)
    if isinstance(statement, HttpResponse):
        return statement
    return cache_public(render_statement(request, statement), statement_key(statement))


def canonical_text_view(request: HttpRequest, year: int, month: int, day: int, slug: str):
    """The canonical text of the published statement, whose SHA-256 the page shows."""
    statement = _find(request, year, month, day, slug)
    if isinstance(statement, HttpResponse):
        return statement
    text = canonical_text(statement.title, statement.issued_on, statement.rendered_body)
    response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="statement-{statement.document_id}-{statement.sha256[:12]}.txt"'
    )
    return cache_public(response, statement_key(statement))


def _find(request, year: int, month: int, day: int, slug: str) -> "Edition | HttpResponse":
    """The published statement at this address, with its published language versions: one
    query applies the visibility rule to the statement and its translations together."""
    language = get_language()
    try:
        issued_on = datetime.date(year, month, day)
    except (ValueError, OverflowError) as error:
        raise Http404 from error
    candidates = AT_ADDRESS(language=language, issued_on=issued_on, slug=slug, at=timezone.now())
    for statement in candidates:
        document = statement.document
        if document.language == language and (statement.issued_on, statement.slug) == (
            issued_on,
            slug,
        ):
            statement.published_versions = {
                other.document.language: other
                for other in candidates
                if other.document.translation_key == document.translation_key
            }
            return statement
    return _moved_or_gone(request, language, issued_on, slug)


def _moved_or_gone(request: HttpRequest, language: str, issued_on, slug: str) -> HttpResponse:
    """An address that was public once: 301 to where it lives now, or 410 if unpublished."""
    former = (
        Edition.objects.went_live()
        .in_language(language)
        .filter(issued_on=issued_on, slug=slug)
        .order_by("-go_live_at")
        .first()
    )
    if former is None:
        raise Http404
    current = Edition.objects.published().filter(document=former.document_id).first()
    if current is not None:
        return HttpResponsePermanentRedirect(current.get_absolute_url())
    taken_down = (
        Edition.objects.went_live()
        .filter(document=former.document_id, state=State.UNPUBLISHED)
        .order_by("-go_live_at")
        .first()
    )
    if taken_down is None:
        raise Http404
    if taken_down.replacement_id:
        replacement = Edition.objects.published().filter(document=taken_down.replacement_id).first()
        if replacement is not None:
            return HttpResponsePermanentRedirect(replacement.get_absolute_url())
    return render(request, "statements/gone.html", {"statement": taken_down}, status=410)


def language_versions(statement: Edition) -> list[Edition]:
    """The published versions of this statement in the other site languages (found with it
    by `_find`, else one query)."""
    by_language = getattr(statement, "published_versions", None)
    if by_language is None:
        key = statement.document.translation_key
        by_language = Edition.objects.published().versions_by_translation([key]).get(key, {})
    return [
        by_language[code]
        for code, _name in settings.LANGUAGES
        if code in by_language and code != statement.document.language
    ]


def render_statement(
    request: HttpRequest, statement: Edition, *, preview: bool = False, share_token: str = ""
):
    language = statement.document.language
    with translation.override(language if preview else get_language()):
        others = [] if preview else language_versions(statement)
        by_language = {version.document.language: version for version in [statement, *others]}
        topics, attachments = page_parts(statement)
        change_notes = statement.public_change_notes() if statement.go_live_at else []
        last_update = statement.last_public_update(change_notes) if statement.go_live_at else None
        values = statement_page.page_values(
            request,
            statement,
            preview=preview,
            share_token=share_token,
            topics=topics,
            attachments=attachments,
            change_notes=change_notes,
            last_update=last_update,
            other_versions=others,
            source_update=None if preview else statement.source_update(),
            figures_box=citations.figures_box(statement.cited_snapshot, language),
            json_ld=json_ld(request, statement, last_update, topics),
            alternates=[] if preview else alternates(request, by_language),
            # A preview is at an address of no language: the links go to each language's
            # home page, as on any page (config/context_processors.py).
            language_switcher=(
                switcher_for(request, get_language())
                if preview
                else switcher(language, by_language)
            ),
        )
        response = HttpResponse(statement_page.draw(values))
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response


def alternates(request: HttpRequest, by_language: dict[str, Edition]) -> list[dict]:
    """hreflang links to every published language version, and x-default (English if there
    is an English version, else the original)."""
    links = [
        {"hreflang": code, "href": request.build_absolute_uri(version.get_absolute_url())}
        for code, version in by_language.items()
    ]
    default = by_language.get(settings.LANGUAGE_CODE) or next(iter(by_language.values()))
    links.append(
        {"hreflang": "x-default", "href": request.build_absolute_uri(default.get_absolute_url())}
    )
    return links


def switcher(current: str, by_language: dict[str, Edition]) -> list[dict]:
    """On a statement page each language goes to that statement's version when one is
    published, else to that language's statement list."""
    items = []
    for code, _name in settings.LANGUAGES:
        version = by_language.get(code)
        if version is not None:
            url = version.get_absolute_url()
        else:
            with translation.override(code):
                url = reverse("statements:list")
        items.append(
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return items


def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    """A draft shown through a share link: marked as a draft, never indexed."""
    statement = statement_for_token(token)
    if statement is None:
        response = render(request, "statements/preview_expired.html", status=404)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    return render_statement(request, statement, preview=True, share_token=token)


def short_link(request: HttpRequest, pk: int) -> HttpResponse:
    """/s/<id>/: the statement's current address, whatever its slug or date became."""
    document = get_object_or_404(Statement, pk=pk)
    statement = Edition.objects.published().filter(document=document).first()
    if statement is None:
        former = (
            Edition.objects.went_live().filter(document=document).order_by("-go_live_at").first()
        )
        if former is None:
            raise Http404
        with translation.override(document.language):
            return _moved_or_gone(request, document.language, former.issued_on, former.slug)
    return HttpResponsePermanentRedirect(statement.get_absolute_url())


def json_ld(
    request: HttpRequest,
    statement: Edition,
    last_update: datetime.datetime | None,
    topics: list[Topic],
) -> dict:
    """schema.org metadata for search engines and aggregators; `last_update` is
    `statement.last_public_update()`."""
    issuer = {"@type": "GovernmentOrganization", "name": statement.issuer.name}
    if statement.issuer.url:
        issuer["url"] = statement.issuer.url
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": statement.title,
        "description": statement.summary,
        "inLanguage": statement.document.language,
        "url": request.build_absolute_uri(statement.get_absolute_url()),
        "dateCreated": statement.issued_on.isoformat(),
        "author": issuer,
        "publisher": issuer,
        "genre": statement_page.label(Kind, statement.kind),
        "keywords": [topic.name for topic in topics],
    }
    first_published = statement.document.first_published_at
    if first_published:
        data["datePublished"] = first_published.isoformat()
    if statement.public_updated_at:
        # Not the time it went live here when that was no update (first published elsewhere).
        modified = last_update or first_published
        data["dateModified"] = (modified or statement.public_updated_at).isoformat()
    if statement.image:
        data["image"] = request.build_absolute_uri(statement.image.url)
    if statement.place:
        data["locationCreated"] = {"@type": "Place", "name": statement.place}
    if statement.sha256:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "sha256",
            "value": statement.sha256,
        }
    return data
