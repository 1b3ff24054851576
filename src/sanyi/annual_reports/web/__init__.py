"""Pages of the annual_reports app: views, forms and URL modules."""
