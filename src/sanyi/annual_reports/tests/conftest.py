import pytest

from sanyi.annual_reports.tests import factories as f


@pytest.fixture
def org_tree(db):
    return f.setting()
