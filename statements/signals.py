"""Every save or deletion of what statement pages are drawn from raises the statements
version (pagecache/versions.py) in the same transaction: cached pages, lists, feeds, the
sitemap and the API then answer from the new data on the next request, in every process."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from pagecache.models import Surface
from pagecache.versions import bump
from statements.models import (
    Attachment,
    Edition,
    Observance,
    Organisation,
    Statement,
    StatementEvent,
    Topic,
)

# Drafts included: simpler than deciding, at each save, whether the public could see a
# difference (a draft's save costs the next reader one rendering). The audit row too: every
# named operation writes one in its transaction, so one that changes a row with a bulk
# UPDATE (marking a translation current) still raises the version.
SOURCES = (Statement, Edition, Attachment, Observance, Topic, Organisation, StatementEvent)


@receiver(m2m_changed, sender=Edition.topics.through)
def topics_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        bump(Surface.STATEMENTS)


def statements_changed(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        bump(Surface.STATEMENTS)


for source in SOURCES:
    post_save.connect(statements_changed, sender=source, dispatch_uid=f"pagecache-{source}")
    post_delete.connect(statements_changed, sender=source, dispatch_uid=f"pagecache-d-{source}")
