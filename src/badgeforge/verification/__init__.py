"""Verify any Open Badge for people and partners: HTTP API, local fetcher, /verify page."""
