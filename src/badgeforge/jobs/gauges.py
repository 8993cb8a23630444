"""A work source that keeps the queue gauges of ``/metrics`` current.

Every few seconds (never on each round: counting is a query per queue) it counts the
webhook deliveries waiting, the batch rows still pending and the batches they belong to.
It never has work of its own, so it never keeps the worker from sleeping.
"""

import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from badgeforge.batches.models import AwardBatchRow, RowState
from badgeforge.observability import BATCH_ROWS_PENDING, BATCHES_RUNNING, QUEUE_DEPTH
from badgeforge.settings import Settings
from badgeforge.webhooks.models import DeliveryStatus, WebhookDelivery

INTERVAL = timedelta(seconds=5)
_last: dict[str, datetime] = {}
_lock = threading.Lock()


def observe_queues(sessions: sessionmaker[Session], settings: Settings, now: datetime) -> bool:
    """Set the queue gauges from the database, at most every ``INTERVAL``; never busy."""
    with _lock:
        last = _last.get("observed")
        if last is not None and now - last < INTERVAL:
            return False
        _last["observed"] = now
    with sessions() as session:
        deliveries = session.scalar(
            select(func.count()).where(WebhookDelivery.status == DeliveryStatus.PENDING)
        )
        rows, batches = session.execute(
            select(func.count(), func.count(func.distinct(AwardBatchRow.batch_id))).where(
                AwardBatchRow.state == RowState.PENDING.value
            )
        ).one()
    QUEUE_DEPTH.labels("webhook_deliveries").set(deliveries or 0)
    QUEUE_DEPTH.labels("batch_rows").set(rows or 0)
    BATCH_ROWS_PENDING.set(rows or 0)
    BATCHES_RUNNING.set(batches or 0)
    return False
