"""Pages of the licences app: views, forms and URL modules."""
