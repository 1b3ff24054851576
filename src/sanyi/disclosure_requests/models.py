"""Models of the disclosure_requests app."""
