"""What the public may see, defined once.

`Edition.objects.published()` is the only definition of a publicly visible statement. Pages,
feeds, the sitemap, search and the API all start from it; the admin uses the unfiltered
default manager. Visibility is computed from the clock at query time, so a scheduled
statement appears at its time with no worker or cron job to fail.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """The stored state of one edition. "Scheduled" is a published edition whose time has not
    come; "superseded" is a published edition with a newer one live: both are derived."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNPUBLISHED = "unpublished", _("Unpublished")


# States of an edition that has gone (or is set to go) live, and stays in the public record.
WENT_LIVE_STATES = (State.PUBLISHED, State.WITHDRAWN, State.UNPUBLISHED)
PUBLIC_STATES = (State.PUBLISHED, State.WITHDRAWN)


@dataclass(frozen=True)
class Version:
    """A statement's language version, by what its address is made of."""

    document_id: int
    language: str
    issued_on: date
    slug: str

    def get_absolute_url(self) -> str:
        from statements.addresses import statement_path

        return statement_path(self.language, self.issued_on, self.slug)


class EditionQuerySet(models.QuerySet):
    def went_live(self, at: datetime | None = None) -> "EditionQuerySet":
        """Editions that have been public at some time up to `at` (default: now)."""
        at = at or timezone.now()
        return self.filter(state__in=WENT_LIVE_STATES, go_live_at__lte=at)

    def published(self, at: datetime | None = None) -> "EditionQuerySet":
        """Editions the public may see at `at` (default: now).

        The newest edition of each statement that has gone live, if it is published or
        withdrawn: never a draft, an edition in review, one scheduled for later, an
        unpublished one, or an older edition that a newer one has replaced.
        """
        at = at or timezone.now()
        newer = (
            type(self)(self.model, using=self.db)
            .went_live(at)
            .filter(document=OuterRef("document"), go_live_at__gt=OuterRef("go_live_at"))
        )
        return self.filter(state__in=PUBLIC_STATES, go_live_at__lte=at).exclude(Exists(newer))

    def listed(self, at: datetime | None = None) -> "EditionQuerySet":
        """Published statements shown in lists: withdrawn ones stay readable but drop out."""
        return self.published(at).filter(state=State.PUBLISHED)

    def for_page(self) -> "EditionQuerySet":
        """With what a page shows of the edition's own rows: the statement, issuer and
        observance joined. The page reads the topics, documents and cited snapshot of the
        one edition it shows (statements/views.py, `Edition.cited_snapshot`), not of its
        language versions found with it."""
        # The search vector is the search's, not the page's: left out (on PostgreSQL each row
        # would carry and parse it).
        return self.select_related("document", "issuer", "observance").defer("search_vector")

    def for_display(self) -> "EditionQuerySet":
        """`for_page()`, and the cited snapshot of each edition prefetched (its headline
        figures and whether it was superseded, not its tables: joining it to every row cost
        half the time of a statement page)."""
        from django.db.models import Prefetch

        from victims.models import Snapshot

        return self.for_page().prefetch_related(
            Prefetch("figures_snapshot", queryset=Snapshot.objects.with_successor())
        )

    def for_cards(self) -> "EditionQuerySet":
        """With what a statement's card in a list shows (title, kind, date, place, summary, its
        address): the statement joined, nothing prefetched, the search vector left out."""
        return self.select_related("document").defer("search_vector", "body")

    def versions_by_translation(self, keys: Iterable[uuid.UUID]) -> dict:
        """{translation_key: {language: edition}} for the editions of this queryset that
        share one of `keys`: a statement's language versions, in one query."""
        found: dict = {}
        for edition in self.filter(document__translation_key__in=keys).select_related("document"):
            document = edition.document
            found.setdefault(document.translation_key, {})[document.language] = edition
        return found

    def version_addresses(self, keys: Iterable[uuid.UUID]) -> dict:
        """{translation_key: {language: Version}}: what `versions_by_translation` finds, as
        only the id, date and slug that a language version's address needs (for the API,
        which lists the versions of up to 100 statements a page)."""
        found: dict = {}
        rows = self.filter(document__translation_key__in=keys).values_list(
            "document__translation_key", "document__language", "document_id", "issued_on", "slug"
        )
        for key, language, document_id, issued_on, slug in rows:
            found.setdefault(key, {})[language] = Version(document_id, language, issued_on, slug)
        return found

    def in_language(self, language: str) -> "EditionQuerySet":
        return self.filter(document__language=language)

    def latest_editions(self) -> "EditionQuerySet":
        """The newest edition of each statement, whatever its state (the admin's view)."""
        newer = type(self)(self.model, using=self.db).filter(
            document=OuterRef("document"), number__gt=OuterRef("number")
        )
        return self.exclude(Exists(newer))

    def scheduled(self, at: datetime | None = None) -> "EditionQuerySet":
        """Published editions whose time has not come yet."""
        return self.filter(state=State.PUBLISHED, go_live_at__gt=at or timezone.now())
