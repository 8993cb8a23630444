"""Bulk awards ("remises officielles"): one badge class awarded to a whole group at once."""
