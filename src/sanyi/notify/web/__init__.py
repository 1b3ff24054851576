"""Pages of the notify app: views, forms and URL modules."""
