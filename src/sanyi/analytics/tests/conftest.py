import pytest

from sanyi.calendar.selectors import calendar_cache_clear


@pytest.fixture
def fw(db):
    from sanyi.analytics.tests.factories import fact_world
    from sanyi.calendar.tests.factories import official_calendar

    official_calendar()
    calendar_cache_clear()
    yield fact_world()
    calendar_cache_clear()
