from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "zweck.crm"
    label = "crm"
    verbose_name = _("CRM")

    def ready(self) -> None:
        # Typo-tolerant search needs a setting (PostgreSQL) or a function (SQLite) on
        # every connection, including the first one.
        from zweck.crm import search

        search.prepare_connections()
