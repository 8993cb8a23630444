"""Ready-made badge class templates (issue 8 §7): a catalogue to browse and start from."""
