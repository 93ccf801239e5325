from django.urls import path

from zweck.web.public import support

app_name = "support"

urlpatterns = [
    path("<str:token>/", support.ticket_page, name="ticket"),
]
