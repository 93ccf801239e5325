from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "zweck.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from zweck.web.sessions import connect_signals

        connect_signals()
