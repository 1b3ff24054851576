import pytest

from sanyi.annual_reports.tests import factories as f


@pytest.fixture
def t(db):
    return f.setting()
