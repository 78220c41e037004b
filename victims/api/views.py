"""Casualty API: statistics for everyone (tables.py, through disclosure.py's rule) and
generalised incident records for partners with a key."""

import datetime

from django.urls import reverse
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import (
    CSVRenderer,
    HXLRenderer,
    ORJSONRenderer,
    StrictCursorPagination,
    dataset_headers,
)
from config.schema import error_responses
from victims import counting, figures, snapshot_pages
from victims.api import tables
from victims.api.filters import IncidentFilterSet
from victims.api.keys import HasPartnerKey
from victims.caching import cached
from victims.choices import DeviceCategory, Verification
from victims.models import AGE_COLUMNS, COUNT_COLUMNS, Area, Incident, Snapshot

HXL_TAGS = {
    "year": "#date+year",
    "month": "#date+month",
    "area": "#adm2+code",
    "area_name": "#adm2+name",
    "outcome": "#meta+outcome",
    "status": "#meta+status",
    "sex": "#meta+sex",
    "age_group": "#meta+age",
    "device_category": "#meta+device",
    "activity": "#meta+activity",
    "count": "#affected",
    "suppressed": "#meta+suppressed",
}
FORMATS = [ORJSONRenderer, CSVRenderer, HXLRenderer]


def _year(value: str, name: str) -> int:
    year = figures.year_from_text(value)
    if year is None:
        raise exceptions.ValidationError({name: "a year as four digits, e.g. 2024"})
    return year


@extend_schema(
    tags=["casualties"],
    summary="Casualty statistics by one or two dimensions",
    description=(
        "The same figures as the public statistics page, through the same disclosure "
        "control (victims/disclosure.py). National counts by outcome and status over the "
        "whole register are exact. Every other count (national counts for a year or a "
        "period too, which could otherwise be combined into a small count; by sex, age "
        "group, district, month, device, activity, or filtered by district) is protected "
        "by cell key perturbation: each is adjusted by "
        "up to 4, and one below min_cell after that, or zero, is `null` with "
        "`suppressed: true`. The same question always gets the same figure, whatever the "
        "table it is asked through; each figure is protected on its own, so totals may not "
        "equal the sum of their cells. Any "
        "`year` or `period` (whole years) may be combined with any table; month tables "
        "need a `year`."
    ),
    parameters=[
        OpenApiParameter(
            "group_by",
            str,
            required=True,
            description=("one or two of: " + ", ".join(counting.DIMENSIONS) + " (comma-separated)"),
            # Every combination, in any order, is a valid request (and fuzzed as one).
            pattern=f"^({'|'.join(counting.DIMENSIONS)})(,({'|'.join(counting.DIMENSIONS)}))?$",
        ),
        OpenApiParameter("year", int, description="one year, e.g. 2024"),
        OpenApiParameter(
            "period", str, description="whole years, e.g. 2021-2024", pattern=r"^\d{4}(-\d{4})?$"
        ),
        OpenApiParameter("area", str, description="ISO 3166-2 code, e.g. AZ-LAC"),
        OpenApiParameter("format", str, enum=["json", "csv", "hxl"]),
    ],
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            examples=[
                OpenApiExample(
                    "By year and outcome",
                    value={
                        "as_of": "2026-11-27T08:00:00+00:00",
                        "dataset_version": "20261127080000-350",
                        "licence": "CC BY 4.0",
                        "methodology": "/en/casualties/#methodology",
                        "methodology_version": "1.0",
                        "verification": ["reported", "verified"],
                        "min_cell": 5,
                        "group_by": ["year", "outcome"],
                        "rows": [
                            {"year": 2023, "outcome": "killed", "count": 12, "suppressed": False}
                        ],
                    },
                )
            ],
        ),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            examples=[
                OpenApiExample(
                    "Bad dimension",
                    value={"detail": "group_by: unknown dimension 'colour'", "code": "invalid"},
                )
            ],
        ),
    },
)
class CasualtyStats(APIView):
    renderer_classes = FORMATS

    def get(self, request):
        params = request.query_params
        group_by = [name.strip() for name in params.get("group_by", "").split(",") if name.strip()]
        year = _year(params["year"], "year") if params.get("year") else None
        period = None
        if params.get("period"):
            first, _sep, last = params["period"].partition("-")
            period = (_year(first, "period"), _year(last or first, "period"))
            if period[0] > period[1]:
                raise exceptions.ValidationError({"period": "the first year comes after the last"})
        area = params.get("area") or None
        try:
            period_key = f"{period[0]}-{period[1]}" if period else ""
            rows = cached(
                f"api:{'+'.join(group_by)}:{year}:{period_key}:{area}",
                lambda: tables.requested_table(group_by, year=year, period=period, area=area),
            )
        except tables.TableRequestError as error:
            name, _sep, message = str(error).partition(": ")
            raise exceptions.ValidationError({name: message}) from error
        meta = cached("meta", tables.dataset_meta)
        if "area" in group_by:
            names = Area.display_names()  # in the request's language (Accept-Language)
            rows = [{**row, "area_name": names.get(str(row["area"]), "")} for row in rows]
        columns = []
        for name in group_by:
            columns.append(name)
            if name == "area":
                columns.append("area_name")
        columns += ["count", "suppressed"]
        data = {
            **meta,
            "group_by": group_by,
            "columns": columns,
            "hxl": [HXL_TAGS[column] for column in columns],
            "rows": rows,
        }
        if request.accepted_renderer.format == "json":
            data = {key: value for key, value in data.items() if key not in ("columns", "hxl")}
        response = Response(data)
        if meta["as_of"]:
            response["Last-Modified"] = http_date(
                datetime.datetime.fromisoformat(str(meta["as_of"])).timestamp()
            )
        return dataset_headers(response, meta)


class IncidentPagination(StrictCursorPagination):
    ordering = ("-updated_at", "-pk")
    page_size = 100
    max_page_size = 1000


INCIDENT_COLUMNS = [
    "reference",
    "year",
    "month",
    "area",
    "area_name",
    "place_type",
    "outside_contact_line",
    "inside_mapped_area",
    "device_category",
    "device_model",
    "production_year",
    "activity",
    "source_type",
    "verification",
    *COUNT_COLUMNS,
    *AGE_COLUMNS,
    "updated_at",
]
INCIDENT_HXL = {
    "reference": "#event+id",
    "year": "#date+year",
    "month": "#date+month",
    "area": "#adm2+code",
    "area_name": "#adm2+name",
    "device_category": "#meta+device",
    "source_type": "#meta+source",
    "verification": "#status+verification",
    "killed": "#affected+killed",
    "injured": "#affected+injured",
    "female": "#affected+f",
    "male": "#affected+m",
    "age_0-4": "#affected+children+age0_4",
    "age_5-11": "#affected+children+age5_11",
    "age_12-17": "#affected+children+age12_17",
    "updated_at": "#date+updated",
}


def generalised_incidents(queryset):
    """One row per incident, generalised: month and year (never the day; no month when only
    the year is known), district, vocabularies and counts; no free text."""

    return queryset.select_related("area", "device_model").with_breakdown()


def incident_row(incident) -> dict:
    row = {
        "reference": incident.reference,
        "year": incident.occurred_on.year,
        "month": incident.occurred_on.month if incident.date_precision != "year" else None,
        "area": incident.area.code,
        "area_name": incident.area.display_name,
        "place_type": incident.place_type,
        "outside_contact_line": incident.outside_contact_line,
        "inside_mapped_area": incident.inside_mapped_area,
        "device_category": incident.device_category,
        "device_model": incident.device_model.name if incident.device_model else None,
        "production_year": incident.production_year,
        "activity": incident.activity,
        "source_type": incident.source_type,
        "verification": incident.verification,
        "updated_at": incident.updated_at.isoformat(),
    }
    for column in INCIDENT_COLUMNS:
        if column not in row:
            row[column] = getattr(incident, column)
    return row


@extend_schema(
    tags=["casualties"],
    summary="Incident records, generalised (partners with a key)",
    description=(
        "One row per incident: year and month (never the day), district, the controlled "
        "vocabularies and counts of casualties by outcome, status, sex and age group. Never "
        "the source reference, the internal note or any free text. `deleted` lists incidents "
        "discounted or removed since `updated_since`. Needs `Authorization: Api-Key <key>`: "
        "401 without a key, 403 with an unknown, expired or revoked one."
    ),
    parameters=[
        OpenApiParameter("year", int),
        OpenApiParameter("area", str),
        OpenApiParameter("device_category", str, enum=DeviceCategory.values),
        OpenApiParameter("verification", str, enum=Verification.values),
        OpenApiParameter("updated_since", OpenApiTypes.DATETIME),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": 1000},
            description="1 to 1000 (default 100)",
        ),
        OpenApiParameter("cursor", str),
        OpenApiParameter("format", str, enum=["json", "csv", "hxl"]),
    ],
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            examples=[
                OpenApiExample(
                    "Incidents",
                    value={
                        "as_of": "2026-11-27T08:00:00+00:00",
                        "dataset_version": "20261127080000-350",
                        "licence": "CC BY 4.0",
                        "next": None,
                        "previous": None,
                        "rows": [
                            {
                                "reference": "INC-2024-0042",
                                "year": 2024,
                                "month": 5,
                                "area": "AZ-KAL",
                                "area_name": "Kəlbəcər",
                                "device_category": "antipersonnel",
                                "verification": "verified",
                                "killed": 1,
                                "injured": 0,
                                "female": 0,
                                "male": 1,
                            }
                        ],
                        "deleted": [
                            {
                                "reference": "INC-2024-0007",
                                "time": "2026-01-02T10:00:00Z",
                                "reason": "discounted",
                            }
                        ],
                    },
                )
            ],
        ),
        **error_responses(400, 401, 403, 406, 429),
    },
)
class IncidentList(APIView):
    permission_classes = [HasPartnerKey]
    renderer_classes = FORMATS

    def get(self, request):
        filters = IncidentFilterSet(request.query_params, queryset=Incident.objects.all())
        if not filters.is_valid():
            raise exceptions.ValidationError(filters.errors)
        incidents = filters.qs
        since = filters.since()
        paginator = IncidentPagination()
        page = paginator.paginate_queryset(generalised_incidents(incidents), request, view=self)
        rows = [incident_row(incident) for incident in page]
        data = {
            **cached("meta", tables.dataset_meta),
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "columns": INCIDENT_COLUMNS,
            "hxl": [
                INCIDENT_HXL.get(column, f"#meta+{column.replace('_', '')}")
                for column in INCIDENT_COLUMNS
            ],
            "rows": rows,
            "deleted": deleted_since(since) if since else [],
        }
        if request.accepted_renderer.format == "json":
            data = {key: value for key, value in data.items() if key not in ("columns", "hxl")}
        return Response(data)


def deleted_since(since: datetime.datetime) -> list[dict]:
    """Incidents removed or discounted since a time, for partners to drop from mirrors."""
    removed = Incident.history.filter(history_type="-", history_date__gte=since).values_list(
        "reference", "history_date"
    )
    discounted = Incident.objects.filter(
        verification="discounted", updated_at__gte=since
    ).values_list("reference", "updated_at")
    return [{"reference": ref, "time": time, "reason": "removed"} for ref, time in removed] + [
        {"reference": ref, "time": time, "reason": "discounted"} for ref, time in discounted
    ]


# --- register snapshots ------------------------------------------------------------------------

EXAMPLE_DIGEST = "9b2e0c3f5d7a41c6b8e2f0a9d3c5e7b1a4f6d8c0e2b4a6c8d0f2e4a6b8c0d2e4"
SNAPSHOT_HXL = {
    "table": "#meta+table",
    "dimension_1": "#meta+dimension+first",
    "value_1": "#meta+value+first",
    "dimension_2": "#meta+dimension+second",
    "value_2": "#meta+value+second",
    "count": "#affected",
    "suppressed": "#meta+suppressed",
    "exact": "#meta+exact",
}
SNAPSHOT_LIST_COLUMNS = [
    "number",
    "period_from",
    "period_to",
    "taken_at",
    "sha256",
    "supersedes",
    "superseded_by",
    "url",
]


def _snapshot_or_404(number: str) -> Snapshot:
    if not number.isascii() or not number.isdigit() or len(number) > 9:
        raise exceptions.NotFound("No snapshot has this number.")
    snapshot = Snapshot.objects.filter(number=int(number)).first()
    if snapshot is None:
        raise exceptions.NotFound("No snapshot has this number.")
    return snapshot


class SnapshotList(APIView):
    renderer_classes = FORMATS

    @extend_schema(
        tags=["casualties"],
        summary="Register snapshots",
        operation_id="casualties_snapshots_list",
        description=(
            "Every register snapshot, newest first: the public figures of a period, frozen as "
            "the register stood when the snapshot was taken. Statements cite them "
            "(`figures.snapshot`). A snapshot never changes; a mistaken one is superseded by a "
            "newer one (`superseded_by`)."
        ),
        parameters=[OpenApiParameter("format", str, enum=["json", "csv", "hxl"])],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                examples=[
                    OpenApiExample(
                        "Snapshots",
                        value={
                            "rows": [
                                {
                                    "number": 1,
                                    "period_from": "2020-11-10",
                                    "period_to": "2024-04-04",
                                    "taken_at": "2026-12-06T09:00:00+00:00",
                                    "sha256": EXAMPLE_DIGEST,
                                    "supersedes": None,
                                    "superseded_by": None,
                                    "url": "https://press.example.org/api/v1/casualties/snapshots/1/",
                                }
                            ]
                        },
                    )
                ],
            ),
            **error_responses(400, 406, 429),
        },
    )
    def get(self, request):
        snapshots = Snapshot.objects.light().select_related("supersedes", "superseded_by")
        rows = [
            {
                "number": snapshot.number,
                "period_from": snapshot.period_from.isoformat(),
                "period_to": snapshot.period_to.isoformat(),
                "taken_at": snapshot.taken_at.isoformat(),
                "sha256": snapshot.sha256,
                "supersedes": snapshot.supersedes.number if snapshot.supersedes else None,
                "superseded_by": _superseded_by(snapshot),
                "url": request.build_absolute_uri(
                    reverse("api:snapshot-detail", args=[snapshot.number])
                ),
            }
            for snapshot in snapshots
        ]
        data: dict = {"rows": rows}
        if request.accepted_renderer.format != "json":
            data.update(
                columns=SNAPSHOT_LIST_COLUMNS,
                hxl=[f"#meta+{name.replace('_', '')}" for name in SNAPSHOT_LIST_COLUMNS],
            )
        return Response(data)


def _superseded_by(snapshot: Snapshot) -> int | None:
    try:
        return snapshot.superseded_by.number
    except Snapshot.DoesNotExist:
        return None


@extend_schema(
    tags=["casualties"],
    summary="One register snapshot, every table",
    description=(
        "A snapshot's content: its period, when it was taken, the verification states "
        "counted, the minimum cell size, the methodology version, the headline figures, the "
        "shares of incidents and every table by one or two dimensions (each figure as "
        "`[row, column, count, exact]`, `null` when hidden), after disclosure control. In CSV "
        "and HXL, one figure per row. Never changes: `ETag` is its SHA-256 (of the canonical "
        "JSON download on its page) and it may be cached for a year."
    ),
    parameters=[OpenApiParameter("format", str, enum=["json", "csv", "hxl"])],
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT,
            examples=[
                OpenApiExample(
                    "A snapshot",
                    value={
                        "format": 1,
                        "number": 1,
                        "period": {"from": "2020-11-10", "to": "2024-04-04"},
                        "taken_at": "2026-12-06T09:00:00+00:00",
                        "supersedes": None,
                        "reason": "",
                        "verification": ["reported", "verified"],
                        "min_cell": 5,
                        "max_perturbation": 4,
                        "methodology_version": "1.0",
                        "synthetic_data": False,
                        "exact_national_figures": True,
                        "headline": {
                            "figures": {"casualties": 350, "killed": 65, "killed.civilian": 50},
                            "exact": ["casualties", "killed", "killed.civilian"],
                            "quality": {"sex": 97, "age_group": 95, "status": 99, "outcome": 100},
                        },
                        "shares": {
                            "period": {"from": "2020-11-10", "to": "2024-04-04", "incidents": 260},
                            "last_year": {
                                "from": "2023-04-05",
                                "to": "2024-04-04",
                                "incidents": 70,
                            },
                        },
                        "tables": [
                            {
                                "key": "outcome",
                                "dimensions": ["outcome"],
                                "year": None,
                                "figures": [
                                    ["killed", "all", 65, True],
                                    ["total", "all", 350, True],
                                ],
                            }
                        ],
                        "sha256": EXAMPLE_DIGEST,
                    },
                )
            ],
        ),
        **error_responses(400, 404, 406, 429),
    },
)
class SnapshotDetail(APIView):
    renderer_classes = FORMATS

    def get(self, request, number: str):
        snapshot = _snapshot_or_404(number)
        if request.accepted_renderer.format == "json":
            data = {**snapshot.content, "sha256": snapshot.sha256}
        else:
            data = {
                "columns": snapshot_pages.CSV_COLUMNS,
                "hxl": [SNAPSHOT_HXL[name] for name in snapshot_pages.CSV_COLUMNS],
                "rows": snapshot_pages.csv_rows(snapshot.content),
            }
        response = Response(data)
        response["ETag"] = f'"{snapshot.sha256}-{request.accepted_renderer.format}"'
        response["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
