"""Signals of the catalogue. Sent on commit only, so receivers see committed data.

``item_published(sender=ItemVersion, version, previous)``: a version became the published
guide of its code; ``previous`` is the version it superseded, or None. Search indexing and
cache invalidation listen to it.
"""

from django.dispatch import Signal

item_published = Signal()
