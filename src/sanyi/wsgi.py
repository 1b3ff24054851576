import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
application = get_wsgi_application()

# Each gunicorn worker imports this module once before it takes requests (the master does,
# with --preload): load now what the first visitor would otherwise wait for (the search
# segmenter's dictionary, about a second). On in production; SANYI_WARM_UP switches it.
from django.conf import settings  # noqa: E402

if settings.SANYI_WARM_UP:
    from sanyi.core.registry import run_warm_ups

    run_warm_ups()
