"""Issuers: the organisation's public Open Badges profiles."""
