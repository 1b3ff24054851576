"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE).

The environment defaults are set before the settings package is imported, because
pytest-django configures Django before any conftest.py runs.
"""

import os

os.environ.setdefault("SANYI_ENV", "test")
os.environ.setdefault("SANYI_TASKS_BACKEND", "immediate")
# Several tests load the whole demo; a year of 600 cases keeps each load quick. The demo
# year's own test asks for the full volume.
os.environ.setdefault("SANYI_DEMO_YEAR_CASES", "600")

from sanyi.settings import *  # noqa: F403

# Whitenoise warns about a missing static folder on every request; tests use finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
