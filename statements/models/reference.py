"""Reference data beside statements: issuing organisations, topics, observances."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from statements import uploads

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class TranslatedNameMixin(models.Model):
    """A name in each site language; `name` gives the active language's, else English."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (translation.get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en


def _in_language(obj: models.Model, prefix: str) -> str:
    """The field `prefix_<active language>`, else its English value."""
    language = (translation.get_language() or "en")[:2]
    return getattr(obj, f"{prefix}_{language}", "") or getattr(obj, f"{prefix}_en")


class Organisation(TranslatedNameMixin):
    """The issuer of statements: the ministry itself, or a partner in a joint statement.

    The default one is also the site's identity: its name and short name head every page and
    its press contact is in the footer, in the reader's language.
    """

    short_name_en = models.CharField(_("short name (English)"), max_length=40, blank=True)
    short_name_az = models.CharField(_("short name (Azerbaijani)"), max_length=40, blank=True)
    short_name_ru = models.CharField(_("short name (Russian)"), max_length=40, blank=True)
    logo = models.ImageField(_("logo"), upload_to=uploads.organisation_logo_path, blank=True)
    url = models.URLField(_("website"), blank=True)
    is_default = models.BooleanField(
        _("default issuer"),
        default=False,
        help_text=_("New statements are issued by it; its name and press contact head the site."),
    )
    press_email = models.EmailField(_("press e-mail"), blank=True)
    press_phone = models.CharField(
        _("press telephone"),
        max_length=40,
        blank=True,
        help_text=_("International format, e.g. +994 12 000 00 00."),
    )
    address_en = models.TextField(_("postal address (English)"), blank=True)
    address_az = models.TextField(_("postal address (Azerbaijani)"), blank=True)
    address_ru = models.TextField(_("postal address (Russian)"), blank=True)
    office_hours_en = models.CharField(_("office hours (English)"), max_length=200, blank=True)
    office_hours_az = models.CharField(_("office hours (Azerbaijani)"), max_length=200, blank=True)
    office_hours_ru = models.CharField(_("office hours (Russian)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_organisation",
            )
        ]

    @classmethod
    def default(cls) -> "Organisation | None":
        return cls.objects.filter(is_default=True).first()

    @property
    def short_name(self) -> str:
        """The short name in the active language, else English, else the name."""
        return _in_language(self, "short_name") or self.name

    @property
    def address(self) -> str:
        return _in_language(self, "address")

    @property
    def office_hours(self) -> str:
        return _in_language(self, "office_hours")

    @property
    def phone_uri(self) -> str:
        """The press telephone as a tel: address (digits and a leading +), or ""."""
        digits = "".join(c for c in self.press_phone if c.isdigit())
        if not digits:
            return ""
        return "tel:" + ("+" if self.press_phone.strip().startswith("+") else "") + digits


class Topic(TranslatedNameMixin):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_en"]


class Observance(TranslatedNameMixin):
    """A day observed every year, e.g. 4 April, the International Day for Mine Awareness and
    Assistance in Mine Action. Statements may belong to one."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    description_en = models.TextField(_("description (English)"), blank=True)
    description_az = models.TextField(_("description (Azerbaijani)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)

    class Meta:
        verbose_name = _("observance")
        verbose_name_plural = _("observances")
        ordering = ["month", "day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="observance_month_1_to_12"
            ),
            models.CheckConstraint(
                condition=Q(day__gte=1, day__lte=31), name="observance_day_1_to_31"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("statements:observance", args=[self.slug])

    def clean(self) -> None:
        try:
            datetime(2000, self.month, self.day)  # 2000 is a leap year: 29 February is valid
        except (TypeError, ValueError) as error:
            raise ValidationError({"day": _("There is no such day in that month.")}) from error

    @property
    def description(self) -> str:
        language = (translation.get_language() or "en")[:2]
        return getattr(self, f"description_{language}", "") or self.description_en

    def next_date(self, today: date) -> date:
        """The next day it is observed, today included (29 February: 28 February otherwise)."""
        for year in (today.year, today.year + 1):
            day = self.day
            while True:
                try:
                    candidate = date(year, self.month, day)
                    break
                except ValueError:
                    day -= 1
            if candidate >= today:
                return candidate
        raise AssertionError("unreachable")
