"""Bench-only settings: the production settings, plus the bare view at /bench/ok/.

Never used by the product. gunicorn is started with ``DJANGO_SETTINGS_MODULE=mixed.settings``
and ``bench`` on the path; everything else comes from the same environment variables as a
real deployment (docs/deploy.md).
"""

import os

from sanyi.settings import *  # noqa: F403

ROOT_URLCONF = "mixed.urls"

# This run's own key prefixes, so a Redis shared with other runs never serves a page or a
# session of another database: the default cache (sessions, rate limits, the page cache's
# generation) and the whole-page cache, which the production settings give a prefix of its
# own.
if CACHE_URL:  # noqa: F405
    _prefix = os.environ.get("MIXED_CACHE_PREFIX", "sanyi-mixed")
    CACHES["default"]["KEY_PREFIX"] = _prefix  # noqa: F405
    CACHES["pages"]["KEY_PREFIX"] = f"{_prefix}-pages"  # noqa: F405
