"""Co-design: invited co-designers (editors, commenters), comments per matrix field, the page."""
