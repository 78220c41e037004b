"""A deployment runs `migrate`: every version is raised then, so no page drawn by the code of
the previous release is served by the new one."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver

from pagecache import versions


@receiver(post_migrate)
def new_release(sender, app_config, using="default", **kwargs) -> None:
    if app_config.label != "pagecache":
        return
    from django.db import connections

    if "pagecache_publicversion" in connections[using].introspection.table_names():
        versions.bump(*versions.SURFACES)
