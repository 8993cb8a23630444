"""Awards: badges given to recipients, their evidence and revocation."""
