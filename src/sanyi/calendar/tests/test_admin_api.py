"""Calendar administration under /api/v1/calendar/admin/: system admins only; a notice in
the file format is previewed (nothing written), then loaded; a notice's details and one
day are corrected; refusals name the field."""

import pytest
from rest_framework.test import APIClient

from sanyi.api.tests.problems import fields_of, problem_of
from sanyi.calendar.models import CalendarChange, CalendarDay, CalendarYear
from sanyi.calendar.tests.factories import notice_2027
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/calendar/admin/"


@pytest.fixture
def api(official):
    client = APIClient()
    client.force_authenticate(of.staff(of.district(), Role.SYSTEM_ADMIN))
    return client


def test_other_staff_are_refused(official):
    client = APIClient()
    client.force_authenticate(of.staff(of.district(), Role.CATALOG_ADMIN))

    assert client.get(BASE + "notices/").status_code == 403
    assert client.post(BASE + "notices/", notice_2027(), format="json").status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_notices_and_the_change_log_are_listed(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        notices = api.get(BASE + "notices/")
    with django_assert_max_num_queries(6):
        changes = api.get(BASE + "changes/")

    assert [n["year"] for n in notices.json()] == [2026, 2025]
    assert changes.json()["count"] == CalendarChange.objects.count()
    assert changes.json()["results"][0]["action_display"]


def test_a_notice_is_previewed_then_loaded(api):
    preview = api.post(BASE + "notices/preview/", notice_2027(), format="json")

    assert preview.status_code == 200, preview.content
    assert preview.json()["replaces"] is None
    assert {"date": "2027-01-01", "before": "平日", "after": "节假日（元旦）"} in preview.json()[
        "days"
    ]
    assert not CalendarYear.objects.filter(year=2027).exists()

    loaded = api.post(BASE + "notices/", notice_2027(), format="json")

    assert loaded.status_code == 201, loaded.content
    assert loaded.json()["notice_number"] == "国办发明电〔2026〕99号"
    assert CalendarDay.objects.filter(date__year=2027).count() == 12


def test_a_broken_notice_names_the_problem(api):
    response = api.post(BASE + "notices/preview/", notice_2027(year="2027"), format="json")

    problem = problem_of(response, 400)
    assert "年份" in problem["detail"] or any(
        "年份" in m for ms in fields_of(problem).values() for m in ms
    )


def test_a_notice_s_details_are_corrected(api):
    body = {
        "notice_title": "国务院办公厅关于2026年部分节假日安排的通知",
        "notice_number": "国办发明电〔2025〕7号",
        "published_on": "2025-11-04",
        "source": "https://www.gov.cn/",
    }

    response = api.put(BASE + "notices/2026/", body, format="json")

    assert response.status_code == 200, response.content
    assert CalendarYear.objects.get(year=2026).source == "https://www.gov.cn/"
    assert api.put(BASE + "notices/2031/", body, format="json").status_code == 404
    refused = api.put(BASE + "notices/2026/", {**body, "notice_number": ""}, format="json")
    assert "notice_number" in fields_of(problem_of(refused, 400))


def test_a_wrong_day_correction_names_the_field(api):
    body = {"date": "2026-12-31", "kind": "makeup_workday", "name": "元旦", "reason": "补充通知"}

    refused = api.post(BASE + "days/", body, format="json")

    assert any("周六或周日" in m for m in fields_of(problem_of(refused, 400))["kind"])
    missing = api.post(BASE + "days/", {**body, "reason": ""}, format="json")
    assert "reason" in fields_of(problem_of(missing, 400))
    assert not CalendarDay.objects.filter(date="2026-12-31").exists()
