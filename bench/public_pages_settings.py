"""Settings for ``bench_public_pages.py`` only: the product's, with the bench's URLs
(``public_pages_urls``: the product's plus a bare view). Never part of the product: gunicorn
loads it with DJANGO_SETTINGS_MODULE=public_pages_settings and bench/ on the path."""

from sanyi.settings import *  # noqa: F403

ROOT_URLCONF = "public_pages_urls"
