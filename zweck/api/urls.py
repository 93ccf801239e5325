"""The REST API: one ``NinjaAPI`` at ``/api/v1/``, one router per domain, token auth on all of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ninja import NinjaAPI

from zweck.api import errors
from zweck.api.auth import TokenAuth
from zweck.api.routers import (
    accounts,
    audit,
    consents,
    crm_activities,
    crm_bulk,
    crm_deals,
    crm_organizations,
    crm_persons,
    crm_pipeline,
    privacy_holds,
    privacy_register,
    privacy_requests,
    privacy_retention,
    sales,
    sales_documents,
    sales_receivables,
    sales_reports,
    sales_similar,
    security,
    tickets,
    workspace,
)

if TYPE_CHECKING:
    from ninja.operation import Operation


class ZweckAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The view names are unique across routers and read well in generated clients.
        return operation.view_func.__name__


api = ZweckAPI(
    title="Zweck API",
    version="1",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    description="Workspace data of Zweck. Authenticate with a personal API token: "
    "`Authorization: Bearer zk_…`. Errors share one body: "
    '`{"detail": "...", "errors": [{"field": "emails.0", "message": "..."}]}`.',
)
errors.install(api)

api.add_router("", accounts.router)
api.add_router("/workspace", workspace.router)
api.add_router("/organizations", crm_organizations.router)
api.add_router("/organizations", sales_similar.router)
api.add_router("/reports", sales_reports.router)
# Before the persons router: "/persons/import" must not be read as a person id.
api.add_router("/persons", crm_bulk.router)
api.add_router("/persons", crm_persons.router)
api.add_router("/activities", crm_activities.router)
api.add_router("/deals", crm_deals.router)
api.add_router("/pipeline-stages", crm_pipeline.router)
api.add_router("/security-events", security.router)
api.add_router("/audit-events", audit.router)
api.add_router("/sales", sales.router)
api.add_router("/sales", sales_documents.router)
api.add_router("/sales", sales_receivables.router)
api.add_router("/consents", consents.router)
api.add_router("/tickets", tickets.router)


api.add_router("/privacy/register", privacy_register.router)
api.add_router("/privacy/requests", privacy_requests.router)
api.add_router("/privacy/notifications", privacy_requests.notifications_router)
api.add_router("/privacy/requests", privacy_holds.requests_router)
api.add_router("/privacy/holds", privacy_holds.router)
api.add_router("/privacy/retention", privacy_retention.router)
