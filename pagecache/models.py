"""The versions of what the public sees, one row per surface, in the database."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Surface(models.TextChoices):
    """A part of the public site whose pages change together. Statement pages, lists, feeds,
    the sitemap and the statements API are one surface; the casualty pages, their CSV files
    and the casualty API are the other."""

    STATEMENTS = "statements", _("Statements")
    REGISTER = "register", _("Casualty register")


class PublicVersion(models.Model):
    """Raised, in the same transaction, by every change of what the public sees on a surface
    (pagecache/versions.py). Every cached page and figure is keyed by it, so no process, worker
    or server can serve a page older than the data it was drawn from."""

    surface = models.CharField(_("surface"), max_length=20, primary_key=True, choices=Surface)
    version = models.PositiveBigIntegerField(_("version"), default=1)
    # Random at each change: a database restored from a backup never meets cached pages of
    # another history that happen to carry the same version number.
    nonce = models.BigIntegerField(_("nonce"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # When the public view changes by the clock alone: the next scheduled go-live, or the next
    # midnight (dates on pages). Cached pages of this version end then.
    next_change_at = models.DateTimeField(_("next change by the clock"), null=True)

    class Meta:
        verbose_name = _("public version")
        verbose_name_plural = _("public versions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(surface__in=["statements", "register"]),
                name="public_version_surface_is_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.surface} v{self.version}"
