"""The service desk's addresses, under ``/app/tickets/`` (included by ``zweck.web.staff.urls``)."""

from django.urls import path

from zweck.web.staff import tickets

urlpatterns = [
    path("tickets/", tickets.ticket_list, name="ticket_list"),
    path("tickets/new/", tickets.ticket_create, name="ticket_create"),
    path("tickets/settings/", tickets.desk_settings, name="ticket_settings"),
    path("tickets/held-mail/", tickets.held_mail_list, name="ticket_held_mail"),
    path("tickets/held-mail/<int:held_id>/", tickets.held_mail_decide, name="ticket_held_mail_decide"),
    path(
        "tickets/held-mail/<int:held_id>/message.eml",
        tickets.held_mail_download,
        name="ticket_held_mail_download",
    ),
    path("tickets/files/<int:attachment_id>/", tickets.attachment_download, name="ticket_attachment"),
    path("tickets/<int:ticket_id>/", tickets.ticket_detail, name="ticket_detail"),
    path("tickets/<int:ticket_id>/reply/", tickets.ticket_reply, name="ticket_reply"),
    path("tickets/<int:ticket_id>/update/", tickets.ticket_update, name="ticket_update"),
]
