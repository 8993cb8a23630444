"""Competency frameworks: a catalogue of built-in and organisation frameworks to align badges to."""
