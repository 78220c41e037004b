"""Statements API: published and withdrawn statements (the same queryset as the pages) and a
change feed for partners who mirror them."""

import base64
import binascii
import json
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.response import Response

from config.api import StrictCursorPagination
from config.parsing import parse_moment
from config.schema import error_responses
from pagecache.middleware import LIST_KEY, statement_key, surrogate_keys
from statements.api.filters import StatementFilterSet, StrictOrderingFilter
from statements.api.serializers import (
    ChangeEventSerializer,
    ChangeFeedSerializer,
    StatementSerializer,
)
from statements.models import Attachment, Edition
from statements.querysets import State
from victims.models import Snapshot


def public_api_statements():
    """`Edition.objects.published()` with the rows joined that the serializer reads; the rest
    comes from `related_context`, for a page at a time."""
    return api_statements(Edition.objects.published())


# The columns the serializer reads (and the orderings sort by): a page of 100 rows carried
# some 600 timestamps of the workflow that partners never see.
API_COLUMNS = (
    "document__language",
    "document__translation_key",
    "document__first_published_at",
    "issuer__name_en",
    "issuer__url",
    "observance__slug",
    "observance__name_en",
    "kind",
    "title",
    "slug",
    "summary",
    "body",
    "issued_on",
    "place",
    "reference_number",
    "figures_snapshot",
    "image",
    "image_alt",
    "image_renditions",
    "state",
    "withdrawal_explanation",
    "withdrawn_at",
    "go_live_at",
    "public_updated_at",
    "sha256",
)


def api_statements(queryset):
    """The statement, issuer and observance joined, with the columns the API shows."""
    return queryset.select_related("document", "issuer", "observance").only(*API_COLUMNS)


def related_context(statements: list[Edition]) -> dict:
    """What a page of statements shows beyond their own rows, in at most six queries whatever
    the page's size: topics, attachments, change notes, language versions, and the cited
    register snapshots (set on each statement, which renders its figures from them).
    Read as plain values: a page of 100 statements made some 400 model instances before."""
    editions = [statement.pk for statement in statements]
    documents = {statement.document_id for statement in statements}
    keys = {statement.document.translation_key for statement in statements}
    notes: dict[int, list[tuple[str, datetime]]] = {}
    for document_id, note, date in (
        Edition.objects.went_live()
        .filter(document__in=documents, minor_change=False, number__gt=1)
        .exclude(change_note="")
        .order_by("-go_live_at")
        .values_list("document_id", "change_note", "public_updated_at")
    ):
        notes.setdefault(document_id, []).append((note, date))
    topics: dict[int, list[dict]] = {}
    for edition_id, slug, name in (
        Edition.topics.through.objects.filter(edition__in=editions)
        .order_by("topic__slug")
        .values_list("edition_id", "topic__slug", "topic__name_en")
    ):
        topics.setdefault(edition_id, []).append({"slug": slug, "name": name})
    attachments: dict[int, list[dict]] = {}
    for row in (
        Attachment.objects.filter(edition__in=editions)
        .order_by("position", "pk")
        .values("edition_id", "title", "file", "media_type", "size")
    ):
        attachments.setdefault(row["edition_id"], []).append(
            {key: row[key] for key in ("title", "file", "media_type", "size")}  # type: ignore[literal-required]
        )
    cited = {s.figures_snapshot_id for s in statements if s.figures_snapshot_id is not None}
    if cited:
        snapshots = Snapshot.objects.with_successor().in_bulk(cited)
        for statement in statements:
            if statement.figures_snapshot_id is not None:
                statement.figures_snapshot = snapshots[statement.figures_snapshot_id]
    return {
        "change_notes": notes,
        "translations": Edition.objects.published().version_addresses(keys),
        "topics": topics,
        "attachments": attachments,
    }


class StatementPagination(StrictCursorPagination):
    ordering = ("-issued_on", "-pk")


@extend_schema(
    tags=["statements"],
    summary="Published and withdrawn statements",
    description=(
        "The same statements the public pages show, withdrawn ones included (with their "
        "withdrawal). Unknown filter values, bad dates, a page_size out of range or a "
        "malformed cursor are a 400 naming the parameter."
    ),
    parameters=[
        OpenApiParameter(
            "ordering", enum=["issued_on", "-issued_on", "public_updated_at", "-public_updated_at"]
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": 100},
            description="1 to 100 (default 20)",
        ),
        OpenApiParameter("cursor", str, description="from the `next` or `previous` link"),
        OpenApiParameter(
            "updated_since",
            OpenApiTypes.DATETIME,
            description="ISO 8601; a time without zone is UTC",
        ),
    ],
    responses={200: StatementSerializer(many=True), **error_responses(400, 406, 429)},
)
class StatementList(generics.ListAPIView):
    serializer_class = StatementSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = StatementFilterSet
    pagination_class = StatementPagination

    def get_queryset(self):
        return public_api_statements()

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset) or []
        context = {**self.get_serializer_context(), **related_context(page)}
        response = self.get_paginated_response(
            StatementSerializer(page, many=True, context=context).data
        )
        latest = max((s.public_updated_at for s in page if s.public_updated_at), default=None)
        if latest:
            response["Last-Modified"] = http_date(latest.timestamp())
        surrogate_keys(response, [LIST_KEY])
        return response


@extend_schema(
    tags=["statements"],
    summary="One statement, by its stable id",
    responses={200: StatementSerializer, **error_responses(404, 406, 410, 429)},
)
class StatementDetail(generics.RetrieveAPIView):
    serializer_class = StatementSerializer

    def get_object(self):
        if self.kwargs["pk"] > 2**63 - 1:  # no such id; SQLite cannot even compare it
            raise exceptions.NotFound("no published statement has this id")
        statement = public_api_statements().filter(document_id=self.kwargs["pk"]).first()
        if statement is None:
            gone = Edition.objects.went_live().filter(
                document_id=self.kwargs["pk"], state=State.UNPUBLISHED
            )
            if gone.exists():
                raise Gone()
            raise exceptions.NotFound("no published statement has this id")
        return statement

    def retrieve(self, request, *args, **kwargs):
        statement = self.get_object()
        context = {**self.get_serializer_context(), **related_context([statement])}
        response = Response(StatementSerializer(statement, context=context).data)
        if statement.public_updated_at:
            response["Last-Modified"] = http_date(statement.public_updated_at.timestamp())
        surrogate_keys(response, [statement_key(statement)])
        return response


class Gone(exceptions.APIException):
    status_code = 410
    default_detail = "this statement was unpublished"
    default_code = "gone"


EVENT_ORDER = {"published": 0, "updated": 0, "withdrawn": 1, "unpublished": 2}


def change_events(since: datetime) -> list[dict]:
    """Every public event after `since` and up to now, oldest first."""
    now = timezone.now()
    events = []
    for edition in (
        Edition.objects.went_live(now)
        .filter(go_live_at__gt=since)
        .values("pk", "document_id", "number", "go_live_at", "minor_change")
    ):
        first = edition["number"] == 1
        events.append(
            {
                "event": "published" if first else "updated",
                "id": edition["document_id"],
                "time": edition["go_live_at"],
                "change": None if first else ("minor" if edition["minor_change"] else "major"),
                "edition": edition["pk"],
            }
        )
    for edition in Edition.objects.filter(withdrawn_at__gt=since, withdrawn_at__lte=now).values(
        "pk", "document_id", "withdrawn_at"
    ):
        events.append(
            {
                "event": "withdrawn",
                "id": edition["document_id"],
                "time": edition["withdrawn_at"],
                "change": None,
                "edition": edition["pk"],
            }
        )
    for edition in Edition.objects.filter(
        state=State.UNPUBLISHED, unpublished_at__gt=since, unpublished_at__lte=now
    ).values("pk", "document_id", "unpublished_at"):
        events.append(
            {
                "event": "unpublished",
                "id": edition["document_id"],
                "time": edition["unpublished_at"],
                "change": None,
                "edition": None,
            }
        )
    events.sort(key=lambda e: (e["time"], EVENT_ORDER[e["event"]], e["id"], e["edition"] or 0))
    return events


def _event_key(event) -> tuple:
    return (event["time"], EVENT_ORDER[event["event"]], event["id"], event["edition"] or 0)


def _encode_cursor(key: tuple) -> str:
    moment, order, document, edition = key
    text = json.dumps([moment.isoformat(), order, document, edition])
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode_cursor(cursor: str) -> tuple:
    try:
        moment, order, document, edition = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        parsed = parse_datetime(moment)
        if parsed is None:
            raise ValueError(moment)
        return (parsed, int(order), int(document), int(edition))
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as error:
        raise exceptions.ValidationError({"cursor": "malformed cursor"}) from error


@extend_schema(
    tags=["statements"],
    summary="What changed since a time: published, updated, withdrawn, unpublished",
    description=(
        "Oldest first. Apply the events in order to keep a faithful mirror: `published` and "
        "`updated` carry the statement to store (null if it was unpublished since), "
        "`withdrawn` the statement with its withdrawal, `unpublished` only the id and time "
        "(a tombstone): delete it."
    ),
    parameters=[
        OpenApiParameter("since", str, required=True, description="ISO 8601 date and time"),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": 100},
            description="1 to 100 (default 50)",
        ),
        OpenApiParameter("cursor", str, description="from the `next` link"),
    ],
    responses={200: ChangeFeedSerializer, **error_responses(400, 406, 429)},
)
class StatementChanges(generics.GenericAPIView):
    serializer_class = ChangeEventSerializer
    pagination_class = None

    def get(self, request):
        since = parse_moment(request.query_params.get("since", ""))
        if since is None:
            raise exceptions.ValidationError(
                {"since": "an ISO 8601 date and time, e.g. 2026-01-31T00:00:00Z"}
            )
        raw_size = request.query_params.get("page_size", "50")
        if not raw_size.isdigit() or not 1 <= int(raw_size) <= 100:
            raise exceptions.ValidationError({"page_size": "a whole number from 1 to 100"})
        size = int(raw_size)
        events = change_events(since)
        cursor = request.query_params.get("cursor")
        if cursor:
            after = _decode_cursor(cursor)
            events = [event for event in events if _event_key(event) > after]
        page, more = events[:size], len(events) > size
        editions = {
            statement.pk: statement
            for statement in public_api_statements_any().filter(
                pk__in=[e["edition"] for e in page if e["edition"]]
            )
        }
        context = {**self.get_serializer_context(), **related_context(list(editions.values()))}
        results = []
        for event in page:
            edition = editions.get(event["edition"])
            payload = None
            if edition is not None and edition.state in (State.PUBLISHED, State.WITHDRAWN):
                payload = StatementSerializer(edition, context=context).data
            results.append(
                {
                    "event": event["event"],
                    "id": event["id"],
                    "time": event["time"],
                    "change": event["change"],
                    "statement": payload,
                }
            )
        next_url = None
        if more:
            token = _encode_cursor(_event_key(page[-1]))
            query = request.query_params.copy()
            query["cursor"] = token
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"next": next_url, "results": results})


def public_api_statements_any():
    """Editions with their related rows, whatever their state (for the change feed)."""
    return api_statements(Edition.objects.all())
