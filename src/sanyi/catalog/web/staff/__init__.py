"""Catalogue admin pages of the workbench (routes in ``sanyi.catalog.web.urls_staff``).

``items``: the list, the review queue, one version (detail, review, publication), history
and the diff; ``drafts``: writing a draft with live lint and its material files;
``imports``: the Excel/JSON import job; ``reports``: quality, reduction and zero results.
"""
