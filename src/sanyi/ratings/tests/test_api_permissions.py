"""The ratings API: every endpoint refuses who may not use it, scopes what it returns, and
writes through the services under the calling user."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.audit.models import AuditEvent
from sanyi.ratings.choices import AppealStatus
from sanyi.ratings.tests import factories as f

pytestmark = pytest.mark.django_db

READS = ["api:rating-list", "api:rating-stats", "api:rating-rectification-list"]


def _as(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _rows(body):
    return body["results"] if isinstance(body, dict) else body


def _post(user, name, rectification, data):
    return _as(user).post(reverse(name, args=[rectification.pk]), data, format="json")


@pytest.mark.parametrize("name", READS)
def test_anonymous_callers_are_refused(name):
    assert _as(None).get(reverse(name)).status_code in (401, 403)


@pytest.mark.parametrize("name", READS)
def test_staff_without_a_ratings_role_are_refused(world, name):
    response = _as(world["nobody"]).get(reverse(name))

    assert response.status_code == 403


def test_a_window_clerk_reads_ratings_but_not_rectifications(world):
    f.bad(world)
    clerk = _as(world["clerk"])

    assert len(_rows(clerk.get(reverse("api:rating-list")).json())) == 1
    assert clerk.get(reverse("api:rating-stats")).status_code == 200
    assert clerk.get(reverse("api:rating-rectification-list")).status_code == 403


def test_lists_hold_only_what_is_in_scope(world):
    f.bad(world)

    for name in READS:
        body = _as(world["outsider"]).get(reverse(name)).json()
        assert _rows(body) == [], name


def test_the_rating_list_has_bounded_queries(world, django_assert_max_num_queries):
    for level in (5, 4, 3, 2, 1, 5, 4):
        f.rated(world, level, channel="offline")

    with django_assert_max_num_queries(8):
        body = _as(world["approver"]).get(reverse("api:rating-list")).json()

    assert len(_rows(body)) == 7
    assert all("号窗口" in row["window"] for row in _rows(body))


def test_the_rectification_list_has_bounded_queries(world, django_assert_max_num_queries):
    for _ in range(6):
        f.bad(world)

    with django_assert_max_num_queries(8):
        body = _as(world["approver"]).get(reverse("api:rating-rectification-list")).json()

    assert len(_rows(body)) == 6


def test_the_rectification_list_filters_by_status(world):
    f.bad(world)
    f.rectified(world)
    api = _as(world["approver"])

    def statuses(status):
        body = api.get(reverse("api:rating-rectification-list"), {"status": status}).json()
        return sorted(row["status"] for row in _rows(body))

    assert statuses("done") == ["done"]
    assert statuses("open") == ["open"]
    assert statuses("") == ["done", "open"]


def test_the_stats_refuse_an_unknown_grouping_with_a_field_error(world):
    response = _as(world["approver"]).get(reverse("api:rating-stats"), {"by": "applicant"})

    assert response.status_code == 400 and "by" in str(response.json())


@pytest.mark.parametrize(
    "name, data",
    [
        ("api:rating-return-visit", {"result": "satisfied", "note": "电话"}),
        ("api:rating-rectification-complete", {"measures": "改进"}),
        ("api:rating-appeal", {"reason": "误评"}),
        ("api:rating-appeal-decide", {"upheld": True, "note": "属实"}),
    ],
)
def test_writes_outside_the_scope_are_not_found(world, name, data):
    rectification = f.bad(world)

    for who in ("outsider", "nobody", "clerk"):
        assert _post(world[who], name, rectification, data).status_code == 404, who


@pytest.mark.parametrize(
    "name", ["api:rating-return-visit", "api:rating-rectification-complete", "api:rating-appeal"]
)
def test_a_bad_body_is_refused_before_anything_is_written(world, name):
    rectification = f.bad(world)

    response = _post(world["approver"], name, rectification, {})

    assert response.status_code == 400
    assert not AuditEvent.objects.filter(
        action__in=["ratings.return_visit", "ratings.rectification_done", "ratings.appeal_file"]
    ).exists()


def test_a_visit_through_the_api_is_audited_under_the_caller(world):
    rectification = f.bad(world)

    response = _post(
        world["approver2"],
        "api:rating-return-visit",
        rectification,
        {"result": "unreachable", "note": "无人接听"},
    )

    assert response.status_code == 200 and response.json()["return_visit_result"] == "unreachable"
    row = AuditEvent.objects.get(action="ratings.return_visit")
    assert row.actor == world["approver2"]


def test_an_unknown_visit_result_is_a_field_error(world):
    response = _post(
        world["approver"],
        "api:rating-return-visit",
        f.bad(world),
        {"result": "maybe", "note": "x"},
    )

    assert response.status_code == 400 and "result" in str(response.json())


def test_completing_a_finished_rectification_is_refused(world):
    rectification = f.rectified(world)

    response = _post(
        world["approver"], "api:rating-rectification-complete", rectification, {"measures": "再改"}
    )

    assert response.status_code == 400 and "已经结束" in str(response.json())


def test_appealing_a_rating_twice_is_refused(world):
    appeal = f.appealed(world)

    response = _post(
        world["approver2"], "api:rating-appeal", appeal.rating.rectification, {"reason": "再诉"}
    )

    assert response.status_code == 400 and "正在复核" in str(response.json())


def test_deciding_needs_a_pending_appeal(world):
    response = _post(
        world["supervisor"], "api:rating-appeal-decide", f.bad(world), {"upheld": True, "note": "x"}
    )

    assert response.status_code == 404


def test_the_filer_cannot_decide_their_own_appeal_through_the_api(world):
    appeal = f.appealed(world, actor=world["supervisor"])

    own = _post(
        world["supervisor"],
        "api:rating-appeal-decide",
        appeal.rating.rectification,
        {"upheld": True, "note": "同意"},
    )
    other = _post(
        world["supervisor2"],
        "api:rating-appeal-decide",
        appeal.rating.rectification,
        {"upheld": True, "note": "同意"},
    )

    assert own.status_code == 403
    assert other.status_code == 200 and other.json()["status"] == AppealStatus.UPHELD
    row = AuditEvent.objects.get(action="ratings.appeal_decide")
    assert row.actor == world["supervisor2"]


def test_an_approver_cannot_decide_through_the_api(world):
    appeal = f.appealed(world)

    response = _post(
        world["approver2"],
        "api:rating-appeal-decide",
        appeal.rating.rectification,
        {"upheld": False, "note": "不同意"},
    )

    assert response.status_code == 403
