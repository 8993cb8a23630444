"""Audit log: who did what, when, through which API key (admins read it)."""
