"""The org app's pages: staff pages under /workbench/orgs/ (``staff.py``) and their forms."""
