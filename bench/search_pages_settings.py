"""Settings for ``bench_search_pages.py`` only: the product's production settings, with
static files named as they are instead of through the manifest, so the benchmark needs no
``collectstatic``. Never part of the product: loaded with
DJANGO_SETTINGS_MODULE=search_pages_settings and bench/ on the path."""

from sanyi.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
