import pytest

from sanyi.calendar.selectors import calendar_cache_clear


@pytest.fixture(autouse=True)
def _cold_calendar_cache():
    # The kept calendar is per process; each test starts from what its own database holds.
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def official(db):
    """The 2025 and 2026 notices loaded (see ``w``)."""
    from sanyi.calendar.tests.factories import official_calendar

    official_calendar()
    calendar_cache_clear()


@pytest.fixture
def w(db):
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.cases.tests.factories import world

    # The 2025/2026 notices come from a data migration; a test module that flushed the
    # database earlier in the session (the demo tests do) removed them.
    official_calendar()
    calendar_cache_clear()
    return world()
