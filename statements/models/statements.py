"""A statement: one language version of an official text, across all its editions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from statements.addresses import short_path
from statements.models.reference import LANGUAGE_CODES


class Statement(models.Model):
    """One language version of a statement, across all its editions."""

    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    translation_key = models.UUIDField(
        _("translation key"),
        default=uuid.uuid4,
        db_index=True,
        help_text=_("Shared by the language versions of one statement."),
    )
    first_published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    translated_from = models.ForeignKey(
        "Edition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations_made",
        verbose_name=_("translated from"),
        help_text=_("The edition of the original this translation was made from."),
    )
    share_links_version = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Raised to revoke every share link.")
    )

    class Meta:
        verbose_name = _("statement record")
        verbose_name_plural = _("statement records")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "language"], name="one_version_per_language"
            ),
            models.CheckConstraint(
                condition=Q(language__in=LANGUAGE_CODES),
                name="document_language_is_a_site_language",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.language})"

    def get_absolute_url(self) -> str:
        return short_path(self.pk)

    def translations(self) -> models.QuerySet:
        """The other language versions of this statement."""
        return Statement.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk)
