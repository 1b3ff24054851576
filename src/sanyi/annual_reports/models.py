"""Models of the annual_reports app."""
