"""/sitemap.xml: an index of sitemaps (Django's sitemaps framework): the list pages, the
observance pages, the casualty pages with every register snapshot, each in every language
with hreflang alternates, and the published statements of each month in a sitemap of their
own (/sitemap-statements-2024-04.xml), as news publishers split theirs. A crawler fetches again
only the sitemaps whose `lastmod` in the index moved, and each stays small (a single sitemap
of 1,000 statements was 444 KB)."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Count, DateField, Max
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from statements.models import Edition, Observance


class StatementSitemap(Sitemap):
    """Each language version is its own page; its alternates are the statement's other
    published language versions, and x-default the English one (else the version itself)."""

    changefreq = "monthly"
    limit = 5000

    def __init__(self, year: int, month: int, latest: datetime.datetime, count: int):
        self.year, self.month, self.latest, self.count = year, month, latest, count

    def get_latest_lastmod(self):
        """For the index: found with every month's in one query (`sections`)."""
        return self.latest

    @property
    def paginator(self):
        """Its number of statements found with every month's too (`sections`), so that the
        index does not count each month again."""
        paginator = super().paginator
        paginator.__dict__["count"] = self.count  # Paginator.count is a cached property
        return paginator

    def items(self):
        return (
            Edition.objects.published()
            .filter(issued_on__year=self.year, issued_on__month=self.month)
            .select_related("document")
            .order_by("pk")
        )

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.public_updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        keys = {url["item"].document.translation_key for url in urls}
        versions = Edition.objects.published().versions_by_translation(keys)
        prefix = urls[0]["location"].split("/", 3)[:3] if urls else []
        origin = "/".join(prefix)
        for url in urls:
            by_language = versions.get(url["item"].document.translation_key, {})
            url["alternates"] = [
                {"lang_code": code, "location": origin + version.get_absolute_url()}
                for code, version in sorted(by_language.items())
            ]
            default = by_language.get("en") or url["item"]
            url["alternates"].append(
                {"lang_code": "x-default", "location": origin + default.get_absolute_url()}
            )
        return urls


class PageSitemap(Sitemap):
    """The home, statement list and observance index pages in every language."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return ["statements:home", "statements:list", "statements:observances"]

    def location(self, item):
        return reverse(item)


class ObservanceSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "yearly"

    def items(self):
        return Observance.objects.order_by("pk")

    def location(self, item):
        return item.get_absolute_url()


class SnapshotSitemap(Sitemap):
    """The casualty pages: today's figures, the list of register snapshots and each snapshot,
    in every language (a snapshot never changes)."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "never"

    def items(self):
        from victims.models import Snapshot

        return [
            "victims:casualties",
            "victims:snapshots",
            *Snapshot.objects.light().order_by("number"),
        ]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()


def sections() -> dict[str, Sitemap | type[Sitemap]]:
    """The sitemaps the index names: the pages, then the statements of each month with a
    published statement, newest first, each with its latest change (one query for all)."""
    months = (
        Edition.objects.published()
        .annotate(month=TruncMonth("issued_on", output_field=DateField()))
        .order_by()
        .values("month")
        .annotate(latest=Max("public_updated_at"), count=Count("id"))
        .order_by("-month")
    )
    return {
        "pages": PageSitemap,
        "observances": ObservanceSitemap,
        "casualties": SnapshotSitemap,
        **{
            f"statements-{row['month']:%Y-%m}": StatementSitemap(
                row["month"].year, row["month"].month, row["latest"], row["count"]
            )
            for row in months
        },
    }


def index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(request, sections(), sitemap_url_name="sitemap_section")


def section(request: HttpRequest, section: str) -> HttpResponse:
    found = sections()
    if section not in found:
        raise Http404("No such sitemap.")
    return sitemap_views.sitemap(request, found, section=section)
