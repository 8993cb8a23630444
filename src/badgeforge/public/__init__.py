"""Unauthenticated, hosted Open Badges documents and images."""
