from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "statements"
    verbose_name = _("Statements")

    def ready(self) -> None:
        import config.schema  # noqa: F401 - registers the OpenAPI description of partner keys
        from statements import signals  # noqa: F401 - connects the receivers
