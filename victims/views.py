"""Public casualty statistics: every figure comes from figures.py, through disclosure.py's rule."""

import datetime
from typing import cast

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from config import csvfiles
from statements.identity import site_identity
from victims import disclosure, figures, methodology, snapshot_pages, snapshots
from victims.caching import cached
from victims.charts import bar_chart
from victims.choices import Verification
from victims.models import Area, Snapshot


class PeriodError(ValueError):
    pass


def parse_year(text: str) -> int:
    year = figures.year_from_text(text)
    if year is None:
        raise PeriodError(_("Years are written as four digits, e.g. 2024."))
    return year


def parse_period(request: HttpRequest) -> figures.Period:
    """?year=YYYY, or ?from=YYYY&to=YYYY, or nothing for all time. Whole years only."""
    year, start, end = (request.GET.get(name, "").strip() for name in ("year", "from", "to"))
    if year:
        return figures.Period(parse_year(year), parse_year(year))
    if start or end:
        first, last = parse_year(start or end), parse_year(end or start)
        if first > last:
            raise PeriodError(_("The period's first year comes after its last year."))
        return figures.Period(first, last)
    return figures.Period()


def casualties(request: HttpRequest) -> HttpResponse:
    status = 200
    error = ""
    try:
        period = parse_period(request)
    except PeriodError as problem:
        period, error, status = figures.Period(), str(problem), 400
    years = cached("years", figures.available_years)
    start, end = period.start_year, period.end_year
    if start and end and not any(start <= y <= end for y in years):
        error = _("There are no figures for %(period)s.") % {"period": period.label()}
    month_year = period.end_year if period.start_year == period.end_year else None
    month_year = month_year or (years[0] if years else None)
    headline = cached(f"headline:{period.key}", lambda: figures.headline(period))
    as_of = cached("as_of", figures.as_of)
    until = figures.data_until(as_of)
    all_time = period.is_all_time
    charts = cached(
        f"charts:{get_language()}:{month_year}:{all_time}",
        lambda: drawn_charts(month_year, all_time, until),
    )
    context = {
        "period": period,
        "period_label": figures.period_label(period, until),
        "error": error,
        "years": years,
        "headline": headline,
        "quality": {
            name: disclosure.hidden_mark() if share is None else f"{share}%"
            for name, share in cast(dict[str, int | None], headline["quality"]).items()
        },
        "shares": cached(f"shares:{period.key}", lambda: figures.incident_shares(period)),
        "as_of": as_of,
        "synthetic": cached("synthetic", figures.has_synthetic_data),
        "charts": charts,
        "counted": [
            str(Verification(value).label).lower()
            for value in settings.CASUALTY_PUBLIC_VERIFICATION
        ],
        "min_cell": disclosure.min_cell(),
        "max_adjustment": disclosure.MAX_PERTURBATION,
        "hidden_mark": disclosure.hidden_mark(),
        "methodology_version": methodology.METHODOLOGY_VERSION,
        "vocabularies": methodology.vocabularies(),
        "licence_name": methodology.LICENCE_NAME,
        "licence_url": methodology.LICENCE_URL,
        # Who publishes the figures, for the citation: the identity the page header shows.
        "organisation": site_identity(request).name,
    }
    return render(request, "victims/casualties.html", context, status=status)


def drawn_charts(month_year: int | None, all_time: bool, until: datetime.date) -> list[SafeString]:
    """The casualty page's charts, each drawn as HTML (its figure, bar chart, data table and
    CSV link), in the active language. What they show depends only on the register's
    version, the language, the year of the months and whether the headline is for all time,
    so the page caches them under those: drawing them is about 1,000 template nodes, two
    thirds of the page's time. (The day the figures run to, `until`, is in the version: it
    advances at every local midnight.)"""
    tables = [figures.chart_table(key) for key in figures.CHARTS]
    if month_year:
        tables.insert(1, figures.chart_table("by_month", month_year))
    drawn = []
    for table in (figures.as_shown(table, until, month_year) for table in tables):
        chart = {
            "table": table,
            "chart": bar_chart(table, table.key),
            "headers": figures.header_labels(table),
            "rows": figures.display_rows(table),
            "month_year": month_year,
            # The charts other than the months cover the whole register, whatever period
            # the headline figures are for: said beside their titles.
            "all_time": not all_time and table.row_dimension != "month",
        }
        csv_url = reverse("victims:chart_csv", args=[table.key]) + (
            f"?year={month_year}" if table.key == "by_month" else ""
        )
        drawn.append(render_to_string("victims/_chart.html", {"chart": chart, "csv_url": csv_url}))
    return drawn


def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    """The table of one chart as CSV, with the figures the page shows, in the one convention
    of figures.csv_rows (codes, the same in every language)."""
    year = None
    if key == "by_month":
        try:
            year = parse_year(request.GET.get("year", "").strip())
        except PeriodError as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
        table = figures.chart_table(key, year)
    elif key in figures.CHARTS:
        table = figures.chart_table(key)
    else:
        raise Http404
    table = figures.as_shown(table, figures.data_until(cached("as_of", figures.as_of)), year)
    names = (
        Area.display_names([row for row, _label in table.rows]) if key == "by_district" else None
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="casualties-{key}.csv"'
    csvfiles.writer(response).writerows(figures.csv_rows(table, names))
    return response


# --- register snapshots ----------------------------------------------------------------------


def snapshot_list(request: HttpRequest) -> HttpResponse:
    snapshots = (
        Snapshot.objects.light()
        .select_related("supersedes")
        .prefetch_related(Prefetch("superseded_by", queryset=Snapshot.objects.light()))
    )
    return render(request, "victims/snapshots.html", {"snapshots": snapshots})


def _snapshot(number: int) -> Snapshot:
    if number > 2**31 - 1:  # beyond any number the database can hold
        raise Http404
    return get_object_or_404(Snapshot.objects.select_related("supersedes"), number=number)


def snapshot_detail(request: HttpRequest, number: int) -> HttpResponse:
    """A snapshot's frozen figures, drawn as the statistics page draws today's."""
    snapshot = _snapshot(number)
    content = snapshot.content
    years = list(range(snapshot.period_to.year, snapshot.period_from.year - 1, -1))
    chosen = figures.year_from_text(request.GET.get("year", "").strip())
    month_year = chosen if chosen in years else years[0]
    taken_on = timezone.localdate(snapshot.taken_at)
    tables = snapshot_pages.page_tables(content, month_year, taken_on)
    shares = content["shares"]
    context = {
        "snapshot": snapshot,
        "superseded_by": Snapshot.objects.light().filter(supersedes=snapshot).first(),
        "headline": snapshot_pages.headline(content),
        "exact": content["exact_national_figures"],
        "quality": {
            name: disclosure.hidden_mark() if share is None else f"{share}%"
            for name, share in content["headline"]["quality"].items()
        },
        "shares": shares["period"],
        "last_year": shares["last_year"],
        "tables_years": content["tables_years"],
        "counted": [str(Verification(value).label).lower() for value in content["verification"]],
        "years": years,
        "month_year": month_year,
        "charts": [
            {
                "table": table,
                "chart": bar_chart(table, table.key),
                "headers": figures.header_labels(table),
                "rows": figures.display_rows(table),
            }
            for table in tables
        ],
        # The latest earlier snapshot of a period starting the same day: the comparable one.
        "earlier": Snapshot.objects.light()
        .filter(number__lt=snapshot.number, period_from=snapshot.period_from)
        .first(),
        "hidden_mark": disclosure.hidden_mark(),
        "organisation": site_identity(request).name,
        "to_cite": snapshot_pages.figures_to_cite(snapshot.figures, get_language()),
    }
    return render(request, "victims/snapshot.html", context)


def snapshot_json(request: HttpRequest, number: int) -> HttpResponse:
    """The snapshot's canonical JSON: `sha256sum` of this file is the digest on its page."""
    snapshot = _snapshot(number)
    response = HttpResponse(
        snapshots.canonical_json(snapshot.content), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="register-snapshot-{number}.json"'
    return immutable(response, snapshot)


def snapshot_csv(request: HttpRequest, number: int) -> HttpResponse:
    snapshot = _snapshot(number)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="register-snapshot-{number}.csv"'
    writer = csvfiles.writer(response)
    writer.writerow(snapshot_pages.CSV_COLUMNS)
    for row in snapshot_pages.csv_rows(snapshot.content):
        writer.writerow(
            ["" if row.get(name) is None else row.get(name) for name in snapshot_pages.CSV_COLUMNS]
        )
    return immutable(response, snapshot)


def immutable(response: HttpResponse, snapshot: Snapshot) -> HttpResponse:
    """A snapshot's files never change: cached for a year, validated by its digest."""
    response["ETag"] = f'"{snapshot.sha256}"'
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def snapshot_compare(request: HttpRequest, first: int, second: int) -> HttpResponse:
    """What changed from one snapshot to another, per outcome, status, year and district."""
    if first == second:
        raise Http404
    if first > second:  # the older first, whichever way the address was written
        return redirect("victims:snapshot_compare", first=second, second=first)
    before, after = _snapshot(first), _snapshot(second)
    context = {
        "before": before,
        "after": after,
        "sections": snapshot_pages.differences(before.content, after.content),
        "min_cell": before.content["min_cell"],
    }
    return render(request, "victims/snapshot_compare.html", context)
