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
def pw(db, tmp_path, settings):
    """A case world (items, staff, windows) with the official calendar."""
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.cases.tests import factories as case_f

    settings.MEDIA_ROOT = str(tmp_path)
    official_calendar()
    calendar_cache_clear()
    yield case_f.world()
    calendar_cache_clear()


@pytest.fixture
def auto_item(pw):
    from sanyi.proactive.tests.factories import auto_item

    return auto_item(pw)
