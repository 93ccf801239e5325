from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "zweck.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from zweck.core.register import add_collection_policy, add_reference_check
        from zweck.core.scoping import add_purpose_limit, add_row_masker, add_scope_filter
        from zweck.privacy.defaults import preset_reference_errors
        from zweck.privacy.purposes import subject_group_limit, uncollected_policy
        from zweck.privacy.restriction import restricted_mentions_masker, restriction_scope

        # Declarations may name only the activities and retention rules shipped here; the
        # check is in place before every app's privacy.py declares its models at start-up.
        add_reference_check(preset_reference_errors)
        autodiscover_modules("privacy")
        # Every read for use leaves out restricted subjects and rows under a hold.
        add_scope_filter(restriction_scope)
        # ... and their mentions in other records' text are hidden from everyone but the privacy officer.
        add_row_masker(restricted_mentions_masker)
        # A field whose every purpose the workspace switched off is not collected ...
        add_collection_policy(uncollected_policy)
        # ... and a person is used for a record only where one of its purposes applies to their group.
        add_purpose_limit(subject_group_limit)
