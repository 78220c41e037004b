"""The anonymised casualty register: incidents (one explosion) and casualties (one person).

Anonymised by design: there is no field for a name, ID number, birth date, address, phone
number, photo or coordinates. The free-text fields are screened for personal data on every
save (screening.py). Public figures come only from figures.py and api/tables.py, through
disclosure.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

from victims.choices import (
    CHILD_AGE_GROUPS,
    Activity,
    AgeGroup,
    DatePrecision,
    DeviceCategory,
    Displacement,
    Injury,
    Outcome,
    PlaceType,
    Sex,
    SourceType,
    Status,
    Verification,
    YesNoUnknown,
)
from victims.disclosure import record_key
from victims.screening import find_personal_data


def choice_constraint(field: str, choices, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Area(models.Model):
    """The gazetteer: ISO 3166-2 subdivisions (loaded with `manage.py load_areas AZ`).

    `name` is the ISO 3166-2 name (in the country's language: Laçın); `name_en`, `name_az`
    and `name_ru` are what readers of each site language see (Lachin, Laçın, Лачинский
    район), filled by `load_areas` (gazetteer.py) and editable in the admin. `display_name`
    is the one for the active language, or the ISO name where it is empty."""

    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("e.g. AZ-LAC"))
    name = models.CharField(
        _("ISO 3166-2 name"), max_length=120, help_text=_("As ISO 3166-2 writes it, e.g. Laçın.")
    )
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    name_az = models.CharField(_("name in Azerbaijani"), max_length=120, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=120, blank=True)
    level = models.PositiveSmallIntegerField(
        _("level"), default=1, help_text=_("1 for a first-level subdivision, 2 below it.")
    )
    kind = models.CharField(_("type"), max_length=60, blank=True, help_text=_("e.g. Rayon"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        """The name in the active language, or the ISO name where that one is empty."""
        return self.name_in(get_language())

    def name_in(self, language: str | None) -> str:
        field = f"name_{(language or '')[:2]}"
        return (getattr(self, field, "") if field in NAME_FIELDS else "") or self.name

    @classmethod
    def display_names(cls, codes=None) -> dict[str, str]:
        """Code to name in the active language, for the given codes (or every area)."""
        areas = cls.objects.all() if codes is None else cls.objects.filter(code__in=codes)
        language = get_language()
        return {area.code: area.name_in(language) for area in areas.only("code", *ALL_NAMES)}


NAME_FIELDS = ("name_en", "name_az", "name_ru")
ALL_NAMES = ("name", *NAME_FIELDS)


class DeviceModel(models.Model):
    """An editable list of device models, e.g. PMN-E."""

    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("device model")
        verbose_name_plural = _("device models")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        screen({"name": self.name})


class ReferenceCounter(models.Model):
    """The last incident number given out in a year: numbers are never given out twice,
    even when an incident is deleted."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

    @classmethod
    def allocate(cls, year: int, n: int = 1) -> list[str]:
        """`n` new incident references of `year` ("INC-2024-0042"), never given out before:
        the year's counter is locked and moved on in one transaction."""
        with transaction.atomic():
            counter, _created = cls.objects.select_for_update().get_or_create(year=year)
            first = counter.last + 1
            counter.last += n
            counter.save(update_fields=["last"])
        return [f"INC-{year}-{number:04d}" for number in range(first, first + n)]

    @classmethod
    def next_reference(cls, year: int) -> str:
        return cls.allocate(year)[0]


def screen(fields: dict[str, str]) -> None:
    """Refuse free text that looks like personal data, naming what was found."""
    errors = {}
    for name, value in fields.items():
        found = find_personal_data(value)
        if found:
            errors[name] = _(
                "This looks like personal data (%(found)s). The register is anonymous: remove it."
            ) % {"found": ", ".join(str(item) for item in found)}
    if errors:
        raise ValidationError(errors)


# The casualty counts `IncidentQuerySet.with_breakdown` adds, in the order exports show them.
COUNT_COLUMNS = [
    "killed",
    "injured",
    "outcome_unknown",
    "civilians",
    "military",
    "deminers",
    "status_unknown",
    "female",
    "male",
    "sex_unknown",
]
AGE_COLUMNS = [f"age_{group}" for group in AgeGroup.values]


class IncidentQuerySet(models.QuerySet):
    def public(self) -> "IncidentQuerySet":
        """Incidents whose verification counts for public figures (CASUALTY_PUBLIC_VERIFICATION,
        default reported and verified: never contested or discounted)."""
        return self.filter(verification__in=settings.CASUALTY_PUBLIC_VERIFICATION)

    def with_counts(self) -> "IncidentQuerySet":
        return self.annotate(
            killed=Count("casualties", filter=Q(casualties__outcome=Outcome.KILLED)),
            injured=Count("casualties", filter=Q(casualties__outcome=Outcome.INJURED)),
        )

    def with_breakdown(self) -> "IncidentQuerySet":
        """Counts of each incident's casualties by outcome, status, sex and age group (and
        children), in the same query: for exports and the partner API."""

        def count(**condition):
            return Count(
                "casualties", filter=Q(**{f"casualties__{k}": v for k, v in condition.items()})
            )

        counts = {
            "killed": count(outcome=Outcome.KILLED),
            "injured": count(outcome=Outcome.INJURED),
            "outcome_unknown": count(outcome=Outcome.UNKNOWN),
            "civilians": count(status=Status.CIVILIAN),
            "military": count(status=Status.MILITARY),
            "deminers": count(status=Status.DEMINER),
            "status_unknown": count(status=Status.UNKNOWN),
            "female": count(sex=Sex.FEMALE),
            "male": count(sex=Sex.MALE),
            "sex_unknown": count(sex=Sex.UNKNOWN),
            "children": count(age_group__in=CHILD_AGE_GROUPS),
        }
        counts.update({f"age_{group}": count(age_group=group) for group in AgeGroup.values})
        return self.annotate(**counts)


class Incident(models.Model):
    """One explosion or event."""

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, editable=False, help_text=_("Never reused.")
    )
    occurred_on = models.DateField(_("date of occurrence"))
    date_precision = models.CharField(
        _("date known to the"), max_length=5, choices=DatePrecision.choices, default="day"
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("district")
    )
    place_type = models.CharField(
        _("place type"), max_length=20, choices=PlaceType.choices, default="unknown"
    )
    outside_contact_line = models.CharField(
        _("outside the former contact line"),
        max_length=7,
        choices=YesNoUnknown.choices,
        default="unknown",
    )
    inside_mapped_area = models.CharField(
        _("inside an area covered by the mine maps provided"),
        max_length=7,
        choices=YesNoUnknown.choices,
        default="unknown",
    )
    device_category = models.CharField(
        _("device category"), max_length=20, choices=DeviceCategory.choices, default="unknown"
    )
    device_model = models.ForeignKey(
        DeviceModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("device model"),
    )
    production_year = models.PositiveSmallIntegerField(_("production year"), null=True, blank=True)
    activity = models.CharField(
        _("activity at the time"), max_length=24, choices=Activity.choices, default="unknown"
    )
    source_type = models.CharField(_("source type"), max_length=24, choices=SourceType.choices)
    source_reference = models.CharField(
        _("source reference (internal)"), max_length=300, blank=True
    )
    internal_note = models.TextField(_("internal note"), blank=True)
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default="reported"
    )
    record_key = models.PositiveSmallIntegerField(
        default=record_key,
        editable=False,
        help_text="Random, 0-255, never shown: the disclosure control's key (disclosure.py).",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = IncidentQuerySet.as_manager()

    # Set before a save: django-simple-history's reason for the revision; and, on an incident
    # built by an import, a device model name the register does not know yet.
    _change_reason: str
    _new_device_model: str

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on", "-pk"]
        permissions = [
            ("verify_incident", "Can verify, contest and discount incidents"),
            ("import_incident", "Can import incidents"),
            ("export_internal_fields", "Can export internal fields"),
        ]
        constraints = [
            choice_constraint("date_precision", DatePrecision, "incident_date_precision_valid"),
            choice_constraint("place_type", PlaceType, "incident_place_type_valid"),
            choice_constraint(
                "outside_contact_line", YesNoUnknown, "incident_outside_contact_line_valid"
            ),
            choice_constraint("inside_mapped_area", YesNoUnknown, "incident_inside_mapped_valid"),
            choice_constraint("device_category", DeviceCategory, "incident_device_category_valid"),
            choice_constraint("activity", Activity, "incident_activity_valid"),
            choice_constraint("source_type", SourceType, "incident_source_type_valid"),
            choice_constraint("verification", Verification, "incident_verification_valid"),
            models.CheckConstraint(
                condition=Q(production_year__isnull=True)
                | Q(production_year__gte=1900, production_year__lte=2100),
                name="incident_production_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(occurred_on__gte="1990-01-01"), name="incident_date_plausible"
            ),
            models.CheckConstraint(
                condition=Q(record_key__lte=255), name="incident_record_key_range"
            ),
        ]
        indexes = [models.Index(fields=["verification", "occurred_on"])]

    def __str__(self) -> str:
        return self.reference or str(_("New incident"))

    def save(self, *args, **kwargs) -> None:
        # Screening is an invariant of the register, like a database constraint: it holds
        # for every save, whichever way the data came in (admin, import, command, code).
        screen({"source_reference": self.source_reference, "internal_note": self.internal_note})
        if not self.reference:
            self.reference = ReferenceCounter.next_reference(self.occurred_on.year)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        screen({"source_reference": self.source_reference, "internal_note": self.internal_note})
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": _("The date of occurrence is in the future.")})
        if self.production_year and self.production_year > timezone.localdate().year:
            raise ValidationError({"production_year": _("The production year is in the future.")})


class Casualty(models.Model):
    """One person killed or injured: no name, no identifier, only these categories."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="casualties")
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="unknown")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default="unknown")
    age_group = models.CharField(
        _("age group"), max_length=8, choices=AgeGroup.choices, default="unknown"
    )
    injury = models.CharField(
        _("injury"),
        max_length=24,
        choices=Injury.choices,
        blank=True,
        default="",
        help_text=_("For the injured only."),
    )
    displacement = models.CharField(
        _("displacement"), max_length=10, choices=Displacement.choices, default="unknown"
    )
    record_key = models.PositiveSmallIntegerField(
        default=record_key,
        editable=False,
        help_text="Random, 0-255, never shown: the disclosure control's key (disclosure.py).",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("casualty")
        verbose_name_plural = _("casualties")
        ordering = ["pk"]
        constraints = [
            choice_constraint("outcome", Outcome, "casualty_outcome_valid"),
            choice_constraint("status", Status, "casualty_status_valid"),
            choice_constraint("sex", Sex, "casualty_sex_valid"),
            choice_constraint("age_group", AgeGroup, "casualty_age_group_valid"),
            choice_constraint("injury", Injury, "casualty_injury_valid"),
            choice_constraint("displacement", Displacement, "casualty_displacement_valid"),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.INJURED) | Q(injury=""),
                name="casualty_injury_only_for_the_injured",
            ),
            models.CheckConstraint(
                condition=Q(record_key__lte=255), name="casualty_record_key_range"
            ),
        ]
        indexes = [models.Index(fields=["incident", "outcome"])]

    def __str__(self) -> str:
        return f"{self.incident}: {self.get_outcome_display()}"


class Tally(models.Model):
    """The register's counts, kept by PostgreSQL's own triggers in the transaction of every
    change to an incident or casualty (migration 0007), so that the public figures are read
    from a few thousand rows instead of counted again from every casualty after each change.

    One row per counted set (`counted`: "area,outcome", ..., or "incidents"), verification
    and key (the set's values joined by "|", e.g. "2024|4|killed|civilian"): the number of
    records and the sum of their record keys. Counts only: nothing here is a person's. Never
    written by the site (victims/tally.py reads it, checks it against the register and
    rebuilds it); on SQLite, which has no statement triggers, it stays empty and the figures
    are counted from the register.
    """

    counted = models.CharField(max_length=40)
    verification = models.CharField(max_length=10)
    key = models.CharField(max_length=120)
    count = models.BigIntegerField()
    keys = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["counted", "verification", "key"], name="tally_one_row_per_key"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0, keys__gte=0), name="tally_never_below_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counted} {self.verification} {self.key}: {self.count}"


class CountedCasualty(models.Model):
    """What the tally counts of one casualty: the values it was last counted under, kept by
    the same triggers as Tally (victims/migrations/0007_tally.py). A change brings each
    casualty it touches from what it was counted as to what it is now, whichever table
    changed first, or both in one statement. Counts' keys only: nothing a person could be
    recognised by that the register does not hold already; never shown, never written by
    the site."""

    casualty_id = models.BigIntegerField(primary_key=True)
    incident_id = models.BigIntegerField(db_index=True)
    verification = models.CharField(max_length=10)
    year = models.CharField(max_length=4)
    month = models.CharField(max_length=7)
    area = models.CharField(max_length=20)
    outcome = models.CharField(max_length=8)
    status = models.CharField(max_length=10)
    age_group = models.CharField(max_length=10)
    sex = models.CharField(max_length=8)
    device_category = models.CharField(max_length=24)
    activity = models.CharField(max_length=24)
    record_key = models.SmallIntegerField()

    def __str__(self) -> str:
        return f"casualty {self.casualty_id}"


class PartnerKey(AbstractAPIKey):
    """An API key of a partner organisation for incident data (djangorestframework-api-key:
    stored hashed, shown once when created, with an expiry, revocable)."""

    partner = models.CharField(_("partner organisation"), max_length=200)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner API key")  # type: ignore[assignment]  # lazy, as Django allows
        verbose_name_plural = _("partner API keys")  # type: ignore[assignment]

    def __str__(self) -> str:
        return f"{self.partner}: {self.name}"


class SnapshotQuerySet(models.QuerySet):
    def light(self) -> "SnapshotQuerySet":
        """Without the full tables and the private worksheet: enough for a citation, the
        figures box and placeholders (`figures` holds the headline figures and shares)."""
        return self.defer("content", "worksheet")

    def with_successor(self) -> "SnapshotQuerySet":
        """Light, with the snapshot that supersedes each (itself light), if any."""
        return (
            self.light()
            .select_related("superseded_by")
            .defer("superseded_by__content", "superseded_by__worksheet")
        )

    def update(self, **kwargs):
        raise ImmutableSnapshot(_("A register snapshot cannot be changed once taken."))

    def delete(self):
        raise ImmutableSnapshot(_("A register snapshot cannot be deleted."))


class Snapshot(models.Model):
    """A numbered, immutable record of the public figures of a period, as the register stood
    when it was taken (snapshots.py takes it; the rule across snapshots is in
    disclosure.py). Never changed and never deleted: on PostgreSQL a trigger refuses both
    (migration 0006); everywhere, save() and delete() refuse and the admin offers neither.
    A mistaken snapshot is superseded by a new one that names it and says why."""

    number = models.PositiveIntegerField(_("number"), unique=True, editable=False)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    taken_at = models.DateTimeField(_("taken at"), editable=False)
    # Empty for a snapshot taken by a command (the demo's).
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("taken by"),
        editable=False,
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    reason = models.TextField(
        _("reason for superseding"),
        blank=True,
        help_text=_("Why the snapshot it supersedes was wrong. Shown on both snapshots' pages."),
    )
    # The canonical record: every published table, after disclosure control. Its canonical
    # JSON (snapshots.canonical_json) is what `sha256` digests and what the JSON download is.
    content = models.JSONField(editable=False)
    # The headline figures and shares of `content`, for citations and placeholders.
    figures = models.JSONField(editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    # Never shown: for each protected figure, the true count when it was last drawn and the
    # figure then published (the rule across snapshots in disclosure.py reads it).
    worksheet = models.JSONField(editable=False)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("register snapshot")
        verbose_name_plural = _("register snapshots")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__lte=models.F("period_to")),
                name="snapshot_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(reason=""),
                name="snapshot_superseding_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Register snapshot %(number)s") % {"number": self.number})

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableSnapshot(_("A register snapshot cannot be changed once taken."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("victims:snapshot", kwargs={"number": self.number})

    def delete(self, *args, **kwargs):
        raise ImmutableSnapshot(_("A register snapshot cannot be deleted."))


class ImmutableSnapshot(Exception):
    """Raised on an attempt to change or delete a register snapshot."""
