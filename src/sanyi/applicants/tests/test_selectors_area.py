"""An applicant's area, read from the address on file."""

import pytest

from sanyi.applicants.selectors import applicant_area
from sanyi.applicants.tests import factories as f
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def test_the_area_is_the_community_named_in_the_address():
    tree = org_f.tree()
    person = f.person(address=f"{tree['sub2'].name}{tree['comm2'].name}花园路3号")

    area = applicant_area(applicant=person)

    assert area is not None
    assert (area.subdistrict, area.community) == (tree["sub2"], tree["comm2"])


def test_no_address_or_an_address_elsewhere_gives_no_area():
    org_f.tree()

    assert applicant_area(applicant=f.person()) is None
    assert applicant_area(applicant=f.person(address="外省某市某路1号")) is None
