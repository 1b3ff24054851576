"""Pages of the ratings app: views, forms and URL modules."""
