"""Pages of the cases app: views, forms and URL modules."""
