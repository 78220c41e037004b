from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "statements"
    verbose_name = _("Statements")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        import config.schema  # noqa: F401 - registers the OpenAPI description of partner keys
        from config.backends import install_replanning
        from statements import signals  # noqa: F401 - connects the receivers

        # PostgreSQL connections that keep prepared statements survive a migration.
        connection_created.connect(install_replanning, dispatch_uid="replanning")
