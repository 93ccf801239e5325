from django.contrib import admin
from django.urls import include, path

from zweck.api.urls import api
from zweck.web import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("zweck.web.urls")),
]

handler403 = "zweck.web.errors.forbidden"
handler404 = "zweck.web.errors.not_found"
handler500 = "zweck.web.errors.server_error"
