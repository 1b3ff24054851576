"""Pages of the disclosure_requests app: views, forms and URL modules."""
