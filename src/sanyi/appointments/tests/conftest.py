import datetime as dt

import pytest
from django.utils import timezone

from sanyi.notify.channels import MemorySmsProvider

from . import factories as f


@pytest.fixture(autouse=True)
def memory_sms(settings):
    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    yield MemorySmsProvider
    MemorySmsProvider.reset()


@pytest.fixture
def place(db):
    """A centre with a schedule (09:00-11:00, 30 minutes, 2 places), a published item
    handled there, its window clerk and a resident."""
    return f.place()


@pytest.fixture
def fixed(place):
    """Slots published from Friday 2026-09-18 for one week (before the National Day
    holidays: Sunday 09-20 is a make-up working day, Friday 09-25 a holiday)."""
    f.generate(place, today=dt.date(2026, 9, 18), weeks=1)
    return place


@pytest.fixture
def upcoming(place):
    """Slots from today on, for the pages (which use the real clock)."""
    f.generate(place, today=timezone.localdate(), weeks=2)
    return place
