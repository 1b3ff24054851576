"""The catalogue's REST endpoints (mounted under /api/v1/ by ``sanyi.api.urls``)."""
