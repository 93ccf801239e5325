from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/app/", permanent=False)),
    path("app/", include("zweck.web.staff.urls")),
    path("privacy/", include("zweck.web.public.urls")),
    path("support/", include("zweck.web.public.support_urls")),
]
