"""Pages of the applicants app: views, forms and URL modules."""
