"""An edition: the text of a statement at one time, with its state and dates."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from config.compiled import CompiledQuery
from statements import uploads
from statements.addresses import statement_path
from statements.models.reference import Observance, Organisation, Topic
from statements.models.statements import Statement
from statements.querysets import EditionQuerySet, State
from statements.richtext import EDITOR_EXTENSIONS, html_to_text, sanitize_html
from statements.workflow import display_state

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from victims.models import Snapshot


class WorkflowError(Exception):
    """A state change that is not allowed now; the message says why, for the editor."""


class Kind(models.TextChoices):
    STATEMENT = "statement", _("Statement")
    PRESS_RELEASE = "press_release", _("Press release")
    SPEECH = "speech", _("Speech")
    COMMENT = "comment", _("Comment")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")


def sanitized(value: str) -> str:
    return sanitize_html(value)


class SanitizedProseField(ProseEditorField):
    """Rich text edited with django-prose-editor and sanitised on every save, not only in
    forms: commands, imports and code cannot store what the allowlist forbids."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class Edition(models.Model):
    """One edition of a statement: the text, its metadata and its place in the workflow."""

    document = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="editions",
        verbose_name=_("statement record"),
    )
    number = models.PositiveIntegerField(_("edition"), default=1, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        allow_unicode=True,
        help_text=_("The last part of the address. Old addresses keep working if it changes."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STATEMENT)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("Plain text, at most 300 characters: shown in lists, feeds and social cards."),
    )
    body = SanitizedProseField(
        _("body"), config={"extensions": EDITOR_EXTENSIONS}, sanitize=sanitized, blank=True
    )
    issued_on = models.DateField(
        _("issued on"), help_text=_("The date printed on the statement. It may be in the past.")
    )
    place = models.CharField(_("place"), max_length=120, blank=True, help_text=_("e.g. Baku"))
    reference_number = models.CharField(_("reference number"), max_length=60, blank=True)
    issuer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="statements", verbose_name=_("issuer")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="statements", verbose_name=_("topics")
    )
    observance = models.ForeignKey(
        Observance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("observance"),
    )
    figures_snapshot = models.ForeignKey(
        "victims.Snapshot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citing_editions",
        verbose_name=_("figures from register snapshot"),
        help_text=_(
            "The register snapshot whose figures the text cites: shown in a box beside the "
            "text, and the source of the figure placeholders such as [[killed]]."
        ),
    )
    image = models.ImageField(_("image"), upload_to=uploads.statement_image_path, blank=True)
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=300,
        blank=True,
        help_text=_("Required with an image: what it shows, for readers who cannot see it."),
    )
    image_renditions = models.JSONField(default=list, blank=True, editable=False)

    minor_change = models.BooleanField(
        _("minor change"),
        default=False,
        help_text=_("A typo or formatting fix: no public change note, no new update date."),
    )
    change_note = models.TextField(
        _("change note"),
        blank=True,
        help_text=_("Shown to the public under the statement: what changed and why."),
    )

    go_live_at = models.DateTimeField(_("goes live at"), null=True, blank=True, editable=False)
    public_updated_at = models.DateTimeField(
        _("public updated at"), null=True, blank=True, editable=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_explanation = models.TextField(_("withdrawal explanation"), blank=True)
    unpublished_at = models.DateTimeField(
        _("unpublished at"), null=True, blank=True, editable=False
    )
    unpublish_explanation = models.TextField(_("unpublishing explanation"), blank=True)
    replacement = models.ForeignKey(
        Statement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replacement statement"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last edited at"), default=timezone.now, editable=False)
    lock_version = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(
        _("SHA-256 of the published text"), max_length=64, blank=True, editable=False
    )
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[topics], excluded_fields=["lock_version", "search_vector"]
    )
    objects = EditionQuerySet.as_manager()

    # Set before a save, for django-simple-history's revision: who saved, why (an audit
    # action), and whether to write no revision this time.
    _history_user: "User | None"
    _change_reason: str
    skip_history_when_saving: bool

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-issued_on", "-go_live_at", "-pk"]
        permissions = [
            ("publish_statement", "Can approve, publish, schedule, withdraw and unpublish"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="edition_number_unique"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="state_is_known"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="kind_is_known"),
            models.CheckConstraint(
                condition=~Q(state__in=[State.PUBLISHED, State.WITHDRAWN, State.UNPUBLISHED])
                | Q(go_live_at__isnull=False),
                name="live_editions_have_a_time",
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="image_needs_alt_text"
            ),
            models.CheckConstraint(
                condition=~Q(state=State.WITHDRAWN)
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_explanation="")),
                name="withdrawal_has_time_and_explanation",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.UNPUBLISHED)
                | (Q(unpublished_at__isnull=False) & ~Q(unpublish_explanation="")),
                name="unpublishing_has_time_and_explanation",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "state", "go_live_at"]),
            models.Index(fields=["state", "go_live_at"]),
            models.Index(fields=["issued_on", "slug"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return statement_path(self.document.language, self.issued_on, self.slug)

    # --- derived state ------------------------------------------------------------------

    @property
    def language(self) -> str:
        return self.document.language

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.IN_REVIEW)

    @property
    def is_scheduled(self) -> bool:
        return (
            self.state == State.PUBLISHED
            and self.go_live_at is not None
            and self.go_live_at > timezone.now()
        )

    @property
    def has_gone_live(self) -> bool:
        return self.go_live_at is not None and self.go_live_at <= timezone.now()

    def display_state(self) -> str:
        """The state of this edition as an editor reads it (see workflow.display_state).
        Whether another edition of the statement is live is said beside it, never instead
        of it."""
        return str(display_state(self).label)

    def is_superseded(self) -> bool:
        return (
            self.document.editions.went_live()
            .filter(go_live_at__gt=self.go_live_at or timezone.now())
            .exists()
        )

    def live_edition(self) -> "Edition | None":
        """The edition of this statement the public sees now, if any."""
        return Edition.objects.published().filter(document=self.document_id).first()

    def body_text(self) -> str:
        return html_to_text(self.rendered_body)

    @cached_property
    def cited_snapshot(self) -> "Snapshot | None":
        """The register snapshot the text cites, without its full tables."""

        if self.figures_snapshot_id is None:
            return None
        if "figures_snapshot" in self._state.fields_cache:  # joined by for_display()
            return self.figures_snapshot
        found = CITED_SNAPSHOT(snapshot=self.figures_snapshot_id)
        return found[0] if found else None

    @cached_property
    def rendered_body(self) -> str:
        """The body as readers see it: figure placeholders replaced by the cited snapshot's
        figures, in the statement's language (citations.py). What the page, the API, the
        canonical text and its SHA-256 carry."""
        if "[[" not in (self.body or ""):
            return self.body
        from statements import citations

        snapshot = self.cited_snapshot
        figures = snapshot.figures if snapshot else None
        return citations.render(self.body, figures, self.document.language)

    def last_public_update(self, change_notes: "list[Edition] | None" = None) -> "datetime | None":
        """When the public text last changed after its first publication, or None if it has
        not: going live here after a first publication elsewhere (a historical
        `first_published_at`) is no update. Reads the history `public_change_notes()` read
        (one query for both)."""
        first = self.document.first_published_at
        updated = self.public_updated_at
        if first is None or updated is None or updated <= first:
            return None
        notes, here = self._public_history()
        if notes:
            return updated
        if here is not None and updated <= here:
            return None
        return updated

    def public_change_notes(self) -> list["Edition"]:
        """Editions with a public change note that have gone live, newest first."""
        return self._public_history()[0]

    def _public_history(self) -> "tuple[list[Edition], datetime | None]":
        """The change notes, and when the statement first went live here: one query over
        the editions that went live up to this one, kept on the instance."""
        cached = getattr(self, "_public_history_cache", None)
        if cached is None:
            now = timezone.now()
            self.keep_public_history(
                PUBLIC_HISTORY(document=self.document_id, now=now, upto=self.go_live_at or now)
            )
            cached = self._public_history_cache
        return cached

    def keep_public_history(self, went_live: "list[Edition]") -> None:
        """Keep, for `public_change_notes` and `last_public_update`, the editions of this
        statement that went live up to this one (read with a statement page's other parts:
        statements/views.py)."""
        # Each went live, so each has its time.
        went_live = sorted(
            went_live, key=lambda edition: cast(datetime, edition.go_live_at), reverse=True
        )
        notes = [
            edition
            for edition in went_live
            if not edition.minor_change and edition.number > 1 and edition.change_note
        ]
        first = min((cast(datetime, edition.go_live_at) for edition in went_live), default=None)
        self._public_history_cache = (notes, first)

    def clean(self) -> None:
        errors = {}
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = _("Describe the image for readers who cannot see it.")
        if self.slug and self.issued_on and self.document_id:
            clash = (
                Edition.objects.filter(
                    document__language=self.document.language,
                    issued_on=self.issued_on,
                    slug=self.slug,
                )
                .exclude(document=self.document_id)
                .exists()
            )
            if clash:
                errors["slug"] = _(
                    "Another statement in this language issued on this date uses this slug."
                )
        if errors:
            raise ValidationError(errors)

    def source_update(self) -> "Edition | None":
        """For an outdated translation: the original's live edition that changed since the
        translation was made; None when it is up to date or not a translation."""
        made_from = self.document.translated_from
        if made_from is None:
            return None
        live = made_from.live_edition()
        if live is None or live.public_updated_at is None:
            return None
        baseline = made_from.public_updated_at or made_from.created_at
        return live if live.public_updated_at > baseline else None

    # --- the four-eyes rule (statements/workflow.py asks it) --------------------------

    def four_eyes_forbid(self, user) -> bool:
        """Whether the four-eyes rule stops `user` publishing this edition: they submitted
        it, last edited it, or changed its text in any revision (the system, `None`, is
        never stopped). Saving unchanged, or submitting, what someone else wrote does not
        make a second person: the text must have been written by someone else."""
        if user is None or not settings.STATEMENTS_FOUR_EYES:
            return False
        if user.pk in (self.submitted_by_id, self.last_edited_by_id):
            return True
        return user.pk in self.text_authors()

    def text_authors(self) -> set[int]:
        """Everyone whose save changed a field of this edition's text (title, body, summary,
        topics, image…), from its revisions. The first revision counts unless it copied a
        text already published (a new edition, a translation started from the original)."""
        authors = set()
        previous = None
        for record in self.history.order_by("history_date", "history_id"):
            if previous is None:
                if record.history_change_reason not in COPY_REASONS:
                    authors.add(record.history_user_id)
            elif record.diff_against(previous, included_fields=TEXT_FIELDS).changes:
                authors.add(record.history_user_id)
            previous = record
        authors.discard(None)
        return authors


# The fields that make an edition's text, for the four-eyes rule (Statement.text_authors),
# and the revisions that start an edition from a text that was already published.
TEXT_FIELDS = [
    "title",
    "slug",
    "summary",
    "body",
    "kind",
    "issued_on",
    "place",
    "reference_number",
    "issuer",
    "topics",
    "observance",
    "figures_snapshot",
    "image",
    "image_alt",
    "minor_change",
    "change_note",
]
COPY_REASONS = {"new_edition", "create_translation"}


# The editions of a statement that went live up to one of them (its change notes and first
# time live): asked on every statement page, built and compiled once per process.
PUBLIC_HISTORY = CompiledQuery(
    lambda document, now, upto: (
        Edition.objects.filter(document=document)
        .went_live(now)
        .filter(go_live_at__lte=upto)
        .only(
            "document", "number", "minor_change", "change_note", "go_live_at", "public_updated_at"
        )
        .order_by("-go_live_at")
    ),
    samples=(
        {
            "document": 1,
            "now": datetime(2001, 1, 1, tzinfo=UTC),
            "upto": datetime(2000, 1, 1, tzinfo=UTC),
        },
        {
            "document": 2,
            "now": datetime(2003, 1, 1, tzinfo=UTC),
            "upto": datetime(2002, 1, 1, tzinfo=UTC),
        },
    ),
)


def _cited_snapshot(snapshot: int):
    from victims.models import Snapshot

    return Snapshot.objects.with_successor().filter(pk=snapshot)[:1]


# The register snapshot a statement page cites, with the one that superseded it, if any.
CITED_SNAPSHOT = CompiledQuery(_cited_snapshot, samples=({"snapshot": 1}, {"snapshot": 2}))
