"""Public human pages: award, badge class, issuer and print pages, in French and English."""
