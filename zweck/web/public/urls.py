from django.urls import path

from zweck.web.public import consent, requests, transmissions, views

app_name = "public"

urlpatterns: list = [
    path("notice/", views.notice_index, name="notice_index"),
    path("notice/<slug:subject>/", views.notice, name="notice"),
    path("notice/<slug:subject>/versions/", views.notice_versions, name="notice_versions"),
    path("notice/<slug:subject>/versions/<int:number>/", views.notice_version, name="notice_version"),
    path("requests/", requests.request_index, name="request_index"),
    path("requests/verify/<str:token>/", requests.request_verify, name="request_verify"),
    path("requests/status/<str:token>/", requests.request_status, name="request_status"),
    path("requests/status/<str:token>/<slug:fmt>/", requests.request_download, name="request_download"),
    path("requests/<slug:kind>/", requests.request_form, name="request_form"),
    path("signup/", consent.signup_submit, name="signup_submit"),
    path("signup/confirm/<str:token>/", consent.signup_confirm, name="signup_confirm"),
    path("signup/<str:token>/", consent.signup_form, name="signup_form"),
    path("preferences/<str:token>/", consent.preference_centre, name="preferences"),
    path(
        "transmissions/<str:token>/",
        transmissions.transmission_download,
        name="transmission_download",
    ),
]
