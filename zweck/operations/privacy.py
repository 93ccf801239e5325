"""Register declarations of the operations app: a worker is named by its host and process id,
which says nothing about a person."""

from zweck.core.register import NOT_PERSONAL, register
from zweck.operations.models import WorkerHeartbeat

register.declare(
    WorkerHeartbeat,
    fields={"id": NOT_PERSONAL, "worker": NOT_PERSONAL, "started_at": NOT_PERSONAL, "seen_at": NOT_PERSONAL},
)
