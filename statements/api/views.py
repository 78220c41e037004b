"""Statements API: published and withdrawn statements (the same queryset as the pages) and a
change feed for partners who mirror them."""

import base64
import binascii
import functools
import json
from datetime import date, datetime

from django.db.models import OuterRef, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.response import Response

import config.lookups  # noqa: F401 (registers `in_json`)
from config.aggregates import json_moment, json_rows
from config.api import StrictCursorPagination
from config.compiled import SAMPLE_TIMES, CompiledQuery
from config.parsing import parse_moment
from config.schema import error_responses
from pagecache.middleware import LIST_KEY, statement_key, surrogate_keys
from statements.api.filters import (
    FilterBackend,
    StatementFilterSet,
    StrictOrderingFilter,
    any_filter,
)
from statements.api.serializers import (
    ChangeEventSerializer,
    ChangeFeedSerializer,
    StatementSerializer,
)
from statements.models import Attachment, Edition
from statements.querysets import State, Version
from victims.models import Snapshot

# The columns the API shows of a statement (`represent` in serializers.py reads them).
ROW_FIELDS = (
    "id",
    "document_id",
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
    "figures_snapshot_id",
    "image",
    "image_alt",
    "image_renditions",
    "state",
    "withdrawal_explanation",
    "withdrawn_at",
    "public_updated_at",
    "sha256",
)
PART_FIELDS = ("topic_rows", "attachment_rows", "note_rows", "version_rows")


def _with_parts(editions: QuerySet, at: datetime) -> QuerySet:
    """`editions` as rows of what the API shows (`ROW_FIELDS`), with what they show beyond
    their own rows, each as a JSON array of rows: their topics, documents, change notes and
    published language versions (the language versions and change notes public at `at`)."""
    return editions.annotate(
        topic_rows=json_rows(
            Edition.topics.through.objects.filter(edition=OuterRef("pk")),
            "edition",
            {"slug": "topic__slug", "name": "topic__name_en"},
        ),
        attachment_rows=json_rows(
            Attachment.objects.filter(edition=OuterRef("pk")),
            "edition",
            {name: name for name in ("id", "position", "title", "file", "media_type", "size")},
        ),
        note_rows=json_rows(
            Edition.objects.went_live(at)
            .filter(document=OuterRef("document"), minor_change=False, number__gt=1)
            .exclude(change_note=""),
            "document",
            {
                "note": "change_note",
                "date": "public_updated_at",
                "go_live_at": "go_live_at",
                "id": "id",
            },
        ),
        version_rows=json_rows(
            Edition.objects.published(at).filter(
                document__translation_key=OuterRef("document__translation_key")
            ),
            "document__translation_key",
            {
                "id": "id",
                "document_id": "document_id",
                "language": "document__language",
                "issued_on": "issued_on",
                "slug": "slug",
                "go_live_at": "go_live_at",
            },
        ),
    ).values(*ROW_FIELDS, *PART_FIELDS)


# The editions given by id (the callers decide which the public may see) with their parts, in
# one query compiled once per process.
WITH_PARTS = CompiledQuery(
    lambda ids, at: _with_parts(Edition.objects.filter(pk__in_json=ids).order_by(), at),
    samples=({"ids": "[1]", "at": SAMPLE_TIMES[0]}, {"ids": "[2, 3]", "at": SAMPLE_TIMES[1]}),
)


# The statements a first page reads, in steps of ten (11, 21, ... 101: a page of 1 to 100 and
# the one after it, which says whether a next page exists): a page of 50 reads 51, one of 45
# also reads 51 and is cut to 46. Eight orderings (4 and their reverses) of ten steps are
# every query `first_page` compiles, all kept.
FIRST_PAGE_STEP = 10


def first_page_limit(stop: int) -> int:
    return ((stop - 2) // FIRST_PAGE_STEP + 1) * FIRST_PAGE_STEP + 1


@functools.lru_cache(maxsize=8 * 10)
def first_page(ordering: tuple[str, ...], limit: int) -> CompiledQuery:
    """The first `limit` statements the public may see, in `ordering`, with their parts: one
    query compiled once per process for each ordering and limit (`first_page_limit`), run
    with PostgreSQL's generic plan (config/compiled.py): without, each call was planned anew
    for its time, 2.2 ms of planning for 2.1 ms of running over 1,000 statements."""
    return CompiledQuery(
        lambda at: _with_parts(Edition.objects.published(at).order_by(*ordering), at)[:limit],
        samples=({"at": SAMPLE_TIMES[0]}, {"at": SAMPLE_TIMES[1]}),
        generic_plan=True,
    )


def _shaped(rows: list[dict]) -> list[dict]:
    """`rows` of `_with_parts` with their parts as `represent` (serializers.py) reads them:
    topics, attachments, change notes and language versions in their order."""
    for row in rows:
        notes = sorted(
            row.pop("note_rows") or [],
            key=lambda note: (json_moment(note["go_live_at"]), note["id"]),
            reverse=True,
        )
        row["change_notes"] = [(note["note"], json_moment(note["date"])) for note in notes]
        row["topics"] = sorted(row.pop("topic_rows") or [], key=lambda topic: topic["slug"])
        row["attachments"] = [
            {key: attachment[key] for key in ("title", "file", "media_type", "size")}
            for attachment in sorted(
                row.pop("attachment_rows") or [],
                key=lambda attachment: (attachment["position"], attachment["id"]),
            )
        ]
        # In the editions' own order (newest issue date, then go-live time, first), as the
        # language versions have always been listed.
        versions = sorted(
            row.pop("version_rows") or [],
            key=lambda version: (
                version["issued_on"],
                json_moment(version["go_live_at"]),
                version["id"],
            ),
            reverse=True,
        )
        row["translations"] = {
            version["language"]: Version(
                version["document_id"],
                version["language"],
                date.fromisoformat(version["issued_on"]),
                version["slug"],
            )
            for version in versions
        }
    return rows


def read_with_parts(ids: list[int]) -> list[dict]:
    """The statements of the editions `ids`, in that order, as rows of what the API shows
    (`ROW_FIELDS`, and their topics, attachments, change notes and language versions public
    now), in one query whatever their number, read as plain values."""
    if not ids:
        return []
    found = {row["id"]: row for row in WITH_PARTS(ids=json.dumps(ids), at=timezone.now())}
    return _shaped([found[pk] for pk in ids if pk in found])


def cited(rows: list[dict]) -> dict:
    """The serializer's context for `rows`: the register snapshots they cite (one query if
    any does, none otherwise)."""
    numbers = {row["figures_snapshot_id"] for row in rows} - {None}
    return {"snapshots": Snapshot.objects.with_successor().in_bulk(numbers) if numbers else {}}


def with_parts(ids: list[int]) -> tuple[list[dict], dict]:
    """`read_with_parts(ids)` and the serializer context they need (`cited`)."""
    rows = read_with_parts(ids)
    return rows, cited(rows)


def public_rows() -> QuerySet:
    """What the list's cursors are made of; the rest of each statement is read by id."""
    return Edition.objects.published().values("pk", "issued_on", "public_updated_at")


class Statements:
    """The public statements as the cursor paginator narrows them (`order_by`; `filter` for a
    cursor's position; a slice), whose slices are statements' rows with their parts.

    `rows` is the queryset after the request's filters. Without any (no filter parameter), a
    first page - the slice from 0, what partners poll - is read in one query compiled once
    per ordering and size in steps of ten (`first_page`): building and compiling the public
    list's query and then reading the parts by id took 4 and 5.5 ms of an 18 ms list of 50,
    the compiled query about 4 (PostgreSQL, 1,000 statements). Any other slice is the
    queryset's, then `read_with_parts`."""

    model = Edition  # django-filter's backend checks it

    def __init__(self, rows: QuerySet | None = None, ordering: tuple[str, ...] = ()) -> None:
        self.rows = rows
        self.ordering = ordering

    def _queryset(self) -> QuerySet:
        rows = public_rows() if self.rows is None else self.rows
        return rows.order_by(*self.ordering) if self.ordering else rows

    def order_by(self, *fields: str) -> "Statements":
        return Statements(self.rows, tuple(fields))

    def filter(self, *args, **kwargs) -> "Statements":
        return Statements(self._queryset().filter(*args, **kwargs))

    def __getitem__(self, item: slice) -> list[dict]:
        if self.rows is None and self.ordering and not item.start and item.step is None:
            query = first_page(self.ordering, first_page_limit(item.stop))
            return _shaped(query(at=timezone.now())[: item.stop])
        return read_with_parts([row["pk"] for row in self._queryset()[item]])


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
    filter_backends = [FilterBackend, StrictOrderingFilter]
    filterset_class = StatementFilterSet
    pagination_class = StatementPagination

    def get_queryset(self):
        return public_rows()

    def list(self, request, *args, **kwargs):
        filtered = any_filter(request, self.filterset_class)
        statements = Statements(self.filter_queryset(self.get_queryset()) if filtered else None)
        # The paginator reads `Statements` as it reads a queryset (order_by, filter, a slice).
        page: list[dict] = self.paginate_queryset(statements) or []  # type: ignore[arg-type]
        context = {**self.get_serializer_context(), **cited(page)}
        response = self.get_paginated_response(
            StatementSerializer(page, many=True, context=context).data
        )
        latest = max(
            (row["public_updated_at"] for row in page if row["public_updated_at"]), default=None
        )
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
        found = (
            Edition.objects.published()
            .filter(document_id=self.kwargs["pk"])
            .only("pk", "document_id")
            .first()
        )
        if found is None:
            gone = Edition.objects.went_live().filter(
                document_id=self.kwargs["pk"], state=State.UNPUBLISHED
            )
            if gone.exists():
                raise Gone()
            raise exceptions.NotFound("no published statement has this id")
        return found

    def retrieve(self, request, *args, **kwargs):
        found = self.get_object()
        [statement], parts = with_parts([found.pk])
        context = {**self.get_serializer_context(), **parts}
        response = Response(StatementSerializer(statement, context=context).data)
        if statement["public_updated_at"]:
            response["Last-Modified"] = http_date(statement["public_updated_at"].timestamp())
        surrogate_keys(response, [statement_key(found)])
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
        found, parts = with_parts(list(dict.fromkeys(e["edition"] for e in page if e["edition"])))
        editions = {row["id"]: row for row in found}
        context = {**self.get_serializer_context(), **parts}
        results = []
        for event in page:
            edition = editions.get(event["edition"])
            payload = None
            if edition is not None and edition["state"] in (State.PUBLISHED, State.WITHDRAWN):
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
