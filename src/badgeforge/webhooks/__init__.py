"""Signed webhooks (Standard Webhooks) delivered from a transactional outbox.

A change (an award issued, revoked, expired) writes its :class:`~badgeforge.webhooks.models.
WebhookEvent` and one :class:`~badgeforge.webhooks.models.WebhookDelivery` per subscribed
endpoint in the change's own transaction; the worker delivers them (see ``delivery.py``).
"""
