"""The catalogue's staff pages under /workbench/catalog/ (``staff``) and their forms.

The public pages are still in ``catalog.views_public``.
"""
