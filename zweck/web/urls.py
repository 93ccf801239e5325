from django.urls import path

from zweck.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
]
