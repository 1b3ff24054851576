import pytest

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.calendar.tests.factories import official_calendar


@pytest.fixture(autouse=True)
def _cold_calendar_cache():
    # The kept calendar is per process; each test starts from what its own database holds.
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def official(db):
    """A database holding the 2025 and 2026 notices."""
    official_calendar()
