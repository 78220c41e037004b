"""Public statement pages. Each view picks a queryset from `Statement.objects.published()` and a
template; the visibility rule lives in querysets.py only."""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from statements.filters import StatementFilter
from statements.models import Attachment, Statement, StatementDocument, Topic
from statements.querysets import State

PAGE_SIZE = 20


def public_statements(language: str):
    """Published statements of a language, with everything a list or page shows."""
    return (
        Statement.objects.published()
        .in_language(language)
        .select_related("document", "issuer")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name_en")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk")),
        )
    )


def cache_public(response: HttpResponse) -> HttpResponse:
    """Let browsers and proxies keep a public page, never past the next scheduled publication."""
    seconds = settings.PUBLIC_CACHE_SECONDS
    next_time = (
        Statement.objects.scheduled()
        .order_by("go_live_at")
        .values_list("go_live_at", flat=True)
        .first()
    )
    if next_time is not None:
        seconds = min(seconds, max(0, int((next_time - timezone.now()).total_seconds())))
    patch_cache_control(response, public=True, max_age=seconds)
    return response


def home(request: HttpRequest) -> HttpResponse:
    statements = public_statements(get_language()).filter(state=State.PUBLISHED)[:10]
    return cache_public(render(request, "statements/home.html", {"statements": statements}))


def statement_list(request: HttpRequest) -> HttpResponse:
    """Newest first by issue date, filtered by kind, topic and year."""
    language = get_language()
    queryset = (
        public_statements(language)
        .filter(state=State.PUBLISHED)
        .order_by("-issued_on", "-go_live_at")
    )
    filterset = StatementFilter(request.GET or None, queryset=queryset, language=language)
    status = 200
    if filterset.is_bound and not filterset.is_valid():
        status = 400
        statements = queryset.none()
    else:
        statements = filterset.qs
    page = Paginator(statements, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "filter": filterset, "query": query.urlencode()}
    return cache_public(render(request, "statements/list.html", context, status=status))


def statement_detail(request: HttpRequest, year: int, month: int, day: int, slug: str):
    language = get_language()
    try:
        issued_on = datetime.date(year, month, day)
    except ValueError as error:
        raise Http404 from error
    statement = public_statements(language).filter(issued_on=issued_on, slug=slug).first()
    if statement is not None:
        return cache_public(render_statement(request, statement))
    return _moved_or_gone(request, language, issued_on, slug)


def _moved_or_gone(request: HttpRequest, language: str, issued_on, slug: str) -> HttpResponse:
    """An address that was public once: 301 to where it lives now, or 410 if unpublished."""
    former = (
        Statement.objects.went_live()
        .in_language(language)
        .filter(issued_on=issued_on, slug=slug)
        .select_related("document")
        .order_by("-go_live_at")
        .first()
    )
    if former is None:
        raise Http404
    current = public_statements(language).filter(document=former.document_id).first()
    if current is not None:
        return HttpResponsePermanentRedirect(current.get_absolute_url())
    taken_down = (
        Statement.objects.went_live()
        .filter(document=former.document_id, state=State.UNPUBLISHED)
        .select_related("replacement")
        .order_by("-go_live_at")
        .first()
    )
    if taken_down is None:
        raise Http404
    if taken_down.replacement_id:
        replacement = (
            Statement.objects.published().filter(document=taken_down.replacement_id).first()
        )
        if replacement is not None:
            return HttpResponsePermanentRedirect(replacement.get_absolute_url())
    return render(request, "statements/gone.html", {"statement": taken_down}, status=410)


def render_statement(request: HttpRequest, statement: Statement, *, preview: bool = False):
    with translation.override(statement.document.language if preview else get_language()):
        context = {
            "statement": statement,
            "preview": preview,
            "json_ld": json_ld(request, statement),
            "change_notes": statement.public_change_notes() if statement.go_live_at else [],
            "renditions": statement.image_renditions,
        }
        response = render(request, "statements/detail.html", context)
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response


def short_link(request: HttpRequest, pk: int) -> HttpResponse:
    """/s/<id>/: the statement's current address, whatever its slug or date became."""
    document = get_object_or_404(StatementDocument, pk=pk)
    statement = (
        Statement.objects.published().filter(document=document).select_related("document").first()
    )
    if statement is None:
        former = (
            Statement.objects.went_live().filter(document=document).order_by("-go_live_at").first()
        )
        if former is None:
            raise Http404
        with translation.override(document.language):
            return _moved_or_gone(request, document.language, former.issued_on, former.slug)
    return HttpResponsePermanentRedirect(statement.get_absolute_url())


def json_ld(request: HttpRequest, statement: Statement) -> dict:
    """schema.org metadata for search engines and aggregators."""
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
        "genre": statement.get_kind_display(),
        "keywords": [topic.name for topic in statement.topics.all()],
    }
    if statement.document.first_published_at:
        data["datePublished"] = statement.document.first_published_at.isoformat()
    if statement.public_updated_at:
        data["dateModified"] = statement.public_updated_at.isoformat()
    if statement.image:
        data["image"] = request.build_absolute_uri(statement.image.url)
    if statement.place:
        data["locationCreated"] = {"@type": "Place", "name": statement.place}
    return data
