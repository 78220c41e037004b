"""Cached public figures expire when register data changes (infrastructure only)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from victims.caching import bump_register_version
from victims.models import Area, Casualty, Incident


@receiver([post_save, post_delete], sender=Incident)
@receiver([post_save, post_delete], sender=Casualty)
@receiver([post_save, post_delete], sender=Area)
def register_changed(sender, **kwargs) -> None:
    bump_register_version()
