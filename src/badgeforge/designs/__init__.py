"""Badge images from designs: shapes, colour schemes, icons, and the readability checks."""
