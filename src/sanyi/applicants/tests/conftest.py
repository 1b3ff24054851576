import pytest

from sanyi.notify.channels import MemorySmsProvider


@pytest.fixture(autouse=True)
def memory_sms(settings):
    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    yield MemorySmsProvider
    MemorySmsProvider.reset()
