"""Runs inside the peer's own environment: loads persons into its contacts, or removes some.

    DJANGO_SETTINGS_MODULE=peer_settings .venv/bin/python load.py load persons.csv ORG_ID
    DJANGO_SETTINGS_MODULE=peer_settings .venv/bin/python load.py delete emails.txt ORG_ID

The CSV has the columns first_name, last_name, email, phone, organization, title. Rows
go in through the peer's ORM with ``bulk_create`` (as its own importer's model writes
do, without the per-row validation), with ``phone_e164`` derived by its own helper.
"""

import csv
import sys

import django

django.setup()

from common.models import Org, Profile  # noqa: E402
from common.phones import set_phone_e164  # noqa: E402
from contacts.models import Contact  # noqa: E402
from django.db import transaction  # noqa: E402

BATCH = 5000


def load(path, org):
    profile = Profile.objects.filter(org=org, is_active=True).select_related("user").first()
    user = profile.user if profile else None
    batch = []
    total = 0
    with open(path, newline="") as source:
        for row in csv.DictReader(source):
            contact = Contact(
                org=org,
                first_name=row["first_name"] or "-",
                last_name=row["last_name"],
                email=row["email"] or None,
                phone=row["phone"] or None,
                organization=row["organization"] or None,
                title=row["title"] or None,
                created_by=user,
                updated_by=user,
            )
            set_phone_e164(contact, {})
            batch.append(contact)
            if len(batch) == BATCH:
                Contact.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        if batch:
            Contact.objects.bulk_create(batch)
            total += len(batch)
    print(total)


def delete(path, org):
    with open(path) as source:
        emails = [line.strip() for line in source if line.strip()]
    with transaction.atomic():
        for start in range(0, len(emails), 1000):
            Contact.objects.filter(org=org, email__in=emails[start : start + 1000]).delete()


if __name__ == "__main__":
    action, path, org_id = sys.argv[1:4]
    organization = Org.objects.get(pk=org_id)
    {"load": load, "delete": delete}[action](path, organization)
