from ninja import NinjaAPI

api = NinjaAPI(title="Zweck API", version="1", urls_namespace="api-v1")
