"""Background work: a database-backed queue with leases, and the worker loop that runs it.

Several ``badgeforge worker`` processes (on several machines) share the work through the
database: on PostgreSQL rows are claimed with ``FOR UPDATE SKIP LOCKED``; on SQLite the
writers serialise (``BEGIN IMMEDIATE``), which is safe with one worker.
"""
