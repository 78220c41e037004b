from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "victims"
    verbose_name = _("Casualty register")

    def ready(self) -> None:
        from victims import signals  # noqa: F401 - connects the receivers
