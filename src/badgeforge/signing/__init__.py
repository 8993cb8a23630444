"""Issuer signing keys: generation, encryption at rest, rotation, publication."""
