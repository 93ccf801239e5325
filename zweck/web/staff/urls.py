from django.urls import path

from zweck.web.staff import (
    activities,
    auth,
    dashboard,
    deals,
    organizations,
    person_bulk,
    persons,
    pipeline,
    privacy_holds,
    privacy_register,
    privacy_requests,
    privacy_retention,
)

app_name = "staff"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("language/", auth.language_switch, name="language"),
    path("workspace/", auth.workspace_switch, name="workspace_switch"),
    path("organizations/", organizations.organization_list, name="organization_list"),
    path("organizations/new/", organizations.organization_create, name="organization_create"),
    path(
        "organizations/<int:organization_id>/", organizations.organization_detail, name="organization_detail"
    ),
    path(
        "organizations/<int:organization_id>/edit/", organizations.organization_edit, name="organization_edit"
    ),
    path(
        "organizations/<int:organization_id>/relationship-end/",
        organizations.organization_relationship_end,
        name="organization_relationship_end",
    ),
    path(
        "organizations/<int:organization_id>/archive/",
        organizations.organization_archive_toggle,
        name="organization_archive",
    ),
    path(
        "organizations/<int:organization_id>/delete/",
        organizations.organization_delete_confirm,
        name="organization_delete",
    ),
    path("contacts/", persons.person_list, name="person_list"),
    path("contacts/new/", persons.person_create, name="person_create"),
    path("contacts/import/", person_bulk.person_import_page, name="person_import"),
    path("contacts/export.csv", person_bulk.person_export_csv, name="person_export"),
    path("contacts/<int:person_id>/", persons.person_detail, name="person_detail"),
    path("contacts/<int:person_id>/edit/", persons.person_edit, name="person_edit"),
    path(
        "contacts/<int:person_id>/relationship-end/",
        persons.person_relationship_end,
        name="person_relationship_end",
    ),
    path("contacts/<int:person_id>/archive/", persons.person_archive_toggle, name="person_archive"),
    path("contacts/<int:person_id>/delete/", persons.person_delete_confirm, name="person_delete"),
    path("contacts/<int:person_id>/vcard/", persons.person_vcard, name="person_vcard"),
    path("deals/", deals.deal_list, name="deal_list"),
    path("deals/board/", deals.deal_board, name="deal_board"),
    path("deals/new/", deals.deal_create, name="deal_create"),
    path("deals/<int:deal_id>/", deals.deal_detail, name="deal_detail"),
    path("deals/<int:deal_id>/edit/", deals.deal_edit, name="deal_edit"),
    path("deals/<int:deal_id>/move/", deals.deal_move_view, name="deal_move"),
    path("deals/<int:deal_id>/close/", deals.deal_close_view, name="deal_close"),
    path("deals/<int:deal_id>/reopen/", deals.deal_reopen_view, name="deal_reopen"),
    path("deals/<int:deal_id>/archive/", deals.deal_archive_toggle, name="deal_archive"),
    path("deals/<int:deal_id>/delete/", deals.deal_delete_confirm, name="deal_delete"),
    path("pipeline/", pipeline.pipeline_stage_list, name="pipeline_stage_list"),
    path("pipeline/new/", pipeline.pipeline_stage_create, name="pipeline_stage_create"),
    path("pipeline/<int:stage_id>/edit/", pipeline.pipeline_stage_edit, name="pipeline_stage_edit"),
    path("pipeline/<int:stage_id>/move/", pipeline.pipeline_stage_move_view, name="pipeline_stage_move"),
    path(
        "pipeline/<int:stage_id>/delete/",
        pipeline.pipeline_stage_delete_confirm,
        name="pipeline_stage_delete",
    ),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:activity_id>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:activity_id>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/delete/", activities.activity_delete_confirm, name="activity_delete"),
    path("activities/<int:activity_id>/done/", activities.activity_toggle_done, name="activity_done"),
    path("activities/<int:activity_id>/ics/", activities.activity_ics, name="activity_ics"),
    path("tasks/", activities.task_list, name="task_list"),
    path("calendar/", activities.week, name="week"),
    path("privacy/register/", privacy_register.register_overview, name="privacy_register"),
    path(
        "privacy/register/install-defaults/",
        privacy_register.register_install_defaults,
        name="privacy_register_install",
    ),
    path("privacy/register/coverage/", privacy_register.register_coverage, name="privacy_register_coverage"),
    path("privacy/register/ropa/<slug:lang>/", privacy_register.register_ropa, name="privacy_register_ropa"),
    path(
        "privacy/register/ropa/<slug:lang>.<slug:fmt>",
        privacy_register.register_ropa_download,
        name="privacy_register_ropa_download",
    ),
    path(
        "privacy/register/notices/<slug:subject>/<slug:lang>/",
        privacy_register.register_notice,
        name="privacy_register_notice",
    ),
    path(
        "privacy/register/notices/<slug:subject>/<slug:lang>.<slug:fmt>",
        privacy_register.register_notice_download,
        name="privacy_register_notice_download",
    ),
    path("privacy/register/fides.yml", privacy_register.register_fides, name="privacy_register_fides"),
    path(
        "privacy/register/recipients/new/",
        privacy_register.recipient_create,
        name="privacy_register_recipient_create",
    ),
    path(
        "privacy/register/recipients/<int:recipient_id>/edit/",
        privacy_register.recipient_edit,
        name="privacy_register_recipient_edit",
    ),
    path(
        "privacy/register/recipients/<int:recipient_id>/delete/",
        privacy_register.recipient_delete_confirm,
        name="privacy_register_recipient_delete",
    ),
    path(
        "privacy/register/activities/<slug:key>/edit/",
        privacy_register.activity_edit,
        name="privacy_register_activity_edit",
    ),
    path(
        "privacy/register/retention-rules/<slug:key>/edit/",
        privacy_register.retention_rule_edit,
        name="privacy_register_retention_rule_edit",
    ),
    path("privacy/requests/", privacy_requests.request_queue, name="privacy_request_queue"),
    path("privacy/requests/new/", privacy_requests.request_open, name="privacy_request_open"),
    path("privacy/notifications/", privacy_requests.notification_list, name="privacy_notification_list"),
    path("privacy/retention/", privacy_retention.retention_page, name="privacy_retention"),
    path(
        "privacy/retention/sweep/", privacy_retention.retention_sweep_now, name="privacy_retention_sweep_now"
    ),
    path(
        "privacy/retention/sweeps/<int:sweep_id>/",
        privacy_retention.retention_sweep_report,
        name="privacy_retention_sweep",
    ),
    path("privacy/holds/", privacy_holds.hold_list_page, name="privacy_hold_list"),
    path("privacy/holds/new/", privacy_holds.hold_place, name="privacy_hold_place"),
    path("privacy/holds/<int:hold_id>/release/", privacy_holds.hold_release, name="privacy_hold_release"),
    path(
        "privacy/notifications/<int:notification_id>/confirm/",
        privacy_requests.notification_confirm,
        name="privacy_notification_confirm",
    ),
    *[
        path(f"privacy/requests/<int:request_id>/{step}/", view, name=f"privacy_request_{name}")
        for step, view, name in (
            ("assign", privacy_requests.request_assign, "assign"),
            ("verify", privacy_requests.request_verify, "verify"),
            ("verification-failed", privacy_requests.request_verification_failed, "verification_failed"),
            ("subjects", privacy_requests.request_subjects, "subjects"),
            ("extend", privacy_requests.request_extend, "extend"),
            ("export", privacy_requests.request_export, "export"),
            ("transmission-link", privacy_requests.request_transmission_link, "transmission_link"),
            ("rectify", privacy_requests.request_rectify, "rectify"),
            ("restrict", privacy_requests.request_restrict, "restrict"),
            ("lift-restriction", privacy_requests.request_restriction_lift, "lift_restriction"),
            ("objection", privacy_requests.request_objection, "objection"),
            ("objection/decide", privacy_requests.request_objection_decide, "objection_decide"),
            ("decide", privacy_requests.request_decide, "decide"),
            ("mentions/decide", privacy_requests.request_mention_decide, "mention_decide"),
        )
    ],
    path(
        "privacy/requests/<int:request_id>/", privacy_requests.request_detail, name="privacy_request_detail"
    ),
    path(
        "privacy/requests/<int:request_id>/plan/",
        privacy_requests.request_erasure_plan,
        name="privacy_request_plan",
    ),
    path(
        "privacy/requests/<int:request_id>/erase/",
        privacy_requests.request_erasure_execute,
        name="privacy_request_erase",
    ),
]
