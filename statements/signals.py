"""Every save or deletion of what public statement pages are drawn from raises the
statements version (pagecache/versions.py) in the same transaction: cached pages, lists,
feeds, the sitemap and the API then answer from the new data on the next request, in every
process. Operations that change rows with a bulk UPDATE raise it themselves
(mark_translation_current)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from pagecache.models import Surface
from pagecache.versions import bump
from statements.models import Attachment, Edition, Observance, Organisation, Statement, Topic
from statements.querysets import WENT_LIVE_STATES

# Only what the public can see raises the version: a draft's or a review's save changes no
# public page, and raising the version for it would show anyone polling the site (a cache
# miss, a slower answer) when the office is at work. Scheduling does raise it (the go-live
# time must be known to every process), without telling when that time is.


def _public_edition(edition: Edition) -> bool:
    return edition.state in WENT_LIVE_STATES


@receiver([post_save, post_delete], sender=Edition)
def edition_changed(sender, instance: Edition, raw: bool = False, **kwargs) -> None:
    if not raw and _public_edition(instance):
        bump(Surface.STATEMENTS)


@receiver([post_save, post_delete], sender=Statement)
def statement_changed(sender, instance: Statement, raw: bool = False, **kwargs) -> None:
    if not raw and instance.first_published_at is not None:
        bump(Surface.STATEMENTS)


@receiver([post_save, post_delete], sender=Attachment)
def attachment_changed(sender, instance: Attachment, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if Edition.objects.filter(pk=instance.edition_id, state__in=WENT_LIVE_STATES).exists():
        bump(Surface.STATEMENTS)


@receiver([post_save, post_delete], sender=Topic)
@receiver([post_save, post_delete], sender=Observance)
@receiver([post_save, post_delete], sender=Organisation)
def reference_changed(sender, raw: bool = False, **kwargs) -> None:
    """Topics, observances and organisations are public wherever they appear."""
    if not raw:
        bump(Surface.STATEMENTS)


@receiver(m2m_changed, sender=Edition.topics.through)
def topics_changed(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_") and (
        not isinstance(instance, Edition) or _public_edition(instance)
    ):
        bump(Surface.STATEMENTS)
