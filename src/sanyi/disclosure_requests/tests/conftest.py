import pytest

from sanyi.calendar.selectors import calendar_cache_clear


@pytest.fixture(autouse=True)
def _cold_calendar_cache():
    # The kept calendar is per process; each test starts from what its own database holds
    # (a test that loads 2027 must not leave 2027 loaded for the next one).
    calendar_cache_clear()
    yield
    calendar_cache_clear()
