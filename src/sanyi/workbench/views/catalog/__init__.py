"""Catalogue admin pages of the workbench (routes in ``sanyi.workbench.urls``)."""
