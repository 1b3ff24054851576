"""What an audit row records of an object: its stored fields, foreign keys as ids."""

import pytest

from sanyi.audit.services import snapshot
from sanyi.orgs.models import OrgUnit


def test_a_foreign_key_is_recorded_as_its_id():
    unit = OrgUnit(name="示范区", parent_id=7)

    assert snapshot(unit, ["name", "parent"]) == {"name": "示范区", "parent": 7}


def test_a_reverse_relation_is_refused():
    with pytest.raises(ValueError, match="children"):
        snapshot(OrgUnit(name="示范区"), ["children"])
