"""Every limit that keeps one request, one record or one list from growing without bound.

The numbers live here and nowhere else: the request guard, the services, the API schemas and
the forms read them from this module, so raising one is one change. They are generous for
real work (a contact with twenty email addresses is already unusual) and small enough that
no single record can slow every page that shows it.
"""

from __future__ import annotations

# A request body of any kind, JSON and forms alike (the request guard answers 413 above it).
REQUEST_BODY_MAX_BYTES = 2 * 1024 * 1024
# The body of a file upload to the routes that import files (``UPLOAD_ROUTES``).
UPLOAD_BODY_MAX_BYTES = 50 * 1024 * 1024
# Paths (below the site root) whose POST bodies may be as large as an upload.
UPLOAD_ROUTES = ("/app/contacts/import/", "/api/v1/persons/import")
# Patterns of paths that take files as form uploads the same way: a ticket's files (staff forms
# and the requester's page behind the signed link).
UPLOAD_ROUTE_PATTERNS = (r"^/app/tickets/(new|\d{1,19}/reply)/$", r"^/support/[^/]{1,400}/$")
# Query parameters and form fields one request may send.
REQUEST_FIELDS_MAX = 1000

# Collections of one record.
EMAILS_PER_PERSON = 20
PHONES_PER_PERSON = 20
ORGANIZATIONS_PER_PERSON = 50
TAGS_PER_ORGANIZATION = 50
ADDRESSES_PER_ORGANIZATION = 20
PARTICIPANTS_PER_ACTIVITY = 200
CONTACTS_PER_DEAL = 100
