import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories
from sanyi.ratings.tests.test_ratings import make_case, rate

pytestmark = pytest.mark.django_db


def test_staff_api_lists_stats_and_follows_up_in_scope(world):
    rating = rate(make_case(world), 1)
    rate(make_case(world), 5)
    api = APIClient()
    api.force_authenticate(world["approver"])
    listed = api.get(reverse("api:rating-list")).json()
    assert listed["count"] == 2 if isinstance(listed, dict) else len(listed) == 2
    stats = api.get(reverse("api:rating-stats"), {"by": "item"}).json()
    assert stats[0]["count"] == 2 and stats[0]["bad"] == 1
    assert api.get(reverse("api:rating-stats"), {"by": "nope"}).status_code == 400

    pk = rating.rectification.pk
    early = api.post(reverse("api:rating-rectification-complete", args=[pk]), {"measures": "x"})
    assert early.status_code == 400 and "请先回访" in str(early.json())
    visit = api.post(
        reverse("api:rating-return-visit", args=[pk]), {"result": "satisfied", "note": "电话"}
    )
    assert visit.status_code == 200 and visit.json()["return_visit_result"] == "satisfied"
    done = api.post(reverse("api:rating-rectification-complete", args=[pk]), {"measures": "改"})
    assert done.json()["status"] == "done"

    outsider = APIClient()
    outsider.force_authenticate(org_factories.staff(world["sub2"], Role.APPROVER))
    answer = outsider.post(
        reverse("api:rating-return-visit", args=[pk]), {"result": "satisfied", "note": "x"}
    )
    assert answer.status_code == 404
    body = outsider.get(reverse("api:rating-list")).json()
    assert (body["count"] if isinstance(body, dict) else len(body)) == 0


def test_appeal_through_api(world):
    rating = rate(make_case(world), 2)
    pk = rating.rectification.pk
    filer, decider = APIClient(), APIClient()
    filer.force_authenticate(world["approver"])
    decider.force_authenticate(world["supervisor"])
    filed = filer.post(reverse("api:rating-appeal", args=[pk]), {"reason": "误评"})
    assert filed.status_code == 201 and filed.json()["status"] == "pending"
    assert (
        filer.post(
            reverse("api:rating-appeal-decide", args=[pk]), {"upheld": True, "note": "x"}
        ).status_code
        == 403
    )
    decided = decider.post(
        reverse("api:rating-appeal-decide", args=[pk]), {"upheld": False, "note": "证据不足"}
    )
    assert decided.json()["status"] == "rejected"
