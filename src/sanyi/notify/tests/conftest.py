import pytest

from sanyi.notify.channels import MemorySmsProvider


@pytest.fixture(autouse=True)
def memory_sms(settings):
    settings.SANYI_SMS_PROVIDER = "memory"
    settings.SANYI_PUBLIC_URL = "https://zwfw.example.gov.cn"
    MemorySmsProvider.reset()
    yield MemorySmsProvider
    MemorySmsProvider.reset()
