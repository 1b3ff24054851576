"""The newest public notices of a resident's community and subdistrict (the front door)."""

import pytest

from sanyi.openness.selectors import publications_of_units_public
from sanyi.openness.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    tree = f.setting()
    tree["comm1"].uscc = org_f.unique_uscc()
    tree["comm1"].save(update_fields=["uscc"])
    tree["comm_writer"] = org_f.staff(tree["comm1"], Role.DISCLOSURE_OFFICER)
    return tree


def test_only_public_notices_of_exactly_these_units_newest_first(
    town, django_assert_max_num_queries
):
    w, r = town["writer"], town["reviewer"]
    first = f.published(town["sub1"], writer=w, reviewer=r)
    second = f.published(town["comm1"], writer=town["comm_writer"], reviewer=r)
    f.published(town["district"], writer=w, reviewer=r)  # the district's: not the community's
    f.scheduled(town["sub1"], writer=w, reviewer=r)  # not yet public
    f.revoked(town["sub1"], writer=w, reviewer=r)
    f.in_review(town["comm1"], writer=town["comm_writer"])

    with django_assert_max_num_queries(1):
        notices = publications_of_units_public(units=[town["comm1"], town["sub1"]])

    assert notices == [second, first]
    assert notices[0].publisher == town["comm1"]


def test_at_most_limit_notices_and_none_without_units(town):
    for _ in range(3):
        f.published(town["sub1"], writer=town["writer"], reviewer=town["reviewer"])

    assert len(publications_of_units_public(units=[town["sub1"]], limit=2)) == 2
    assert publications_of_units_public(units=[]) == []
