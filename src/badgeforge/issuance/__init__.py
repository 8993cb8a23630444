"""What an award issued, frozen at award time: every format's document, signed, and its status."""
