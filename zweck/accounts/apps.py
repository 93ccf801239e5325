from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zweck.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from zweck.accounts.security import connect_signals

        connect_signals()
