from django.urls import path

from zweck.web.public import views

app_name = "public"

urlpatterns: list = [
    path("notice/", views.notice_index, name="notice_index"),
    path("notice/<slug:subject>/", views.notice, name="notice"),
]
