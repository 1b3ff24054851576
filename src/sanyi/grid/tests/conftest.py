import pytest

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.notify.channels import MemorySmsProvider


@pytest.fixture(autouse=True)
def memory_sms(settings):
    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    yield MemorySmsProvider
    MemorySmsProvider.reset()


@pytest.fixture
def gw(db, tmp_path, settings):
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.grid.tests.factories import grid_world

    settings.MEDIA_ROOT = str(tmp_path)
    official_calendar()
    calendar_cache_clear()
    yield grid_world()
    calendar_cache_clear()
