"""Badge classes: what a badge recognises, its criteria, alignments and image."""
