from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "statements"
    verbose_name = _("Statements")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.utils.autoreload import file_changed

        import config.schema  # noqa: F401 - registers the OpenAPI description of partner keys
        from config.backends import install_replanning
        from statements import signals  # noqa: F401 - connects the receivers

        # PostgreSQL connections that keep prepared statements survive a migration.
        connection_created.connect(install_replanning, dispatch_uid="replanning")
        # The development server reloads templates and catalogues without a restart: what
        # was drawn from the old ones is forgotten.
        file_changed.connect(forget_drawn, dispatch_uid="forget-drawn")


def forget_drawn(sender, file_path, **kwargs) -> None:
    """Forget the pages, statement pages and cards this process drew (a template or a
    translation catalogue changed under `runserver`). Returns nothing: a restart, if one
    follows, is not prevented."""
    from pagecache.middleware import local
    from statements.templatetags.statement_tags import _card

    local.clear()
    _card.cache_clear()
