"""Pages of the openness app: views, forms and URL modules."""
