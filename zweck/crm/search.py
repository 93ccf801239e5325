"""Finding persons and organizations by name, email, phone in any format, and company.

On every database the query is matched as a substring of the lower-cased search
document (see ``search_text``); a phone-like query is matched on its digits.
"""

from __future__ import annotations

from django.db.models import QuerySet

from zweck.crm import search_text
from zweck.crm.models import Organization, Person


def _terms(query: str) -> list[str]:
    if search_text.looks_like_phone(query):
        return [search_text.phone_query_digits(query)]
    return search_text.normalize_text(query).split()


def search_persons(persons: QuerySet[Person], query: str) -> QuerySet[Person]:
    for term in _terms(query):
        persons = persons.filter(search_text__contains=term)
    return persons


def search_organizations(organizations: QuerySet[Organization], query: str) -> QuerySet[Organization]:
    for term in _terms(query):
        organizations = organizations.filter(search_text__contains=term)
    return organizations
