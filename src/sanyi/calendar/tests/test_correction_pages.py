"""The workbench pages for correcting the calendar: a year's days, a notice's details, and
a wrong day correction shown again with the error on its field."""

import pytest
from django.urls import reverse

from sanyi.calendar.models import CalendarChange, CalendarYear
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of
from sanyi.portal.tests.factories import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, official):
    verified_login(client, of.staff(of.district(), Role.SYSTEM_ADMIN))
    return client


def test_the_year_page_lists_its_days_with_a_link_to_correct_each(
    admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse("workbench:calendar:year", args=[2026]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "国庆节" in html and "?date=2026-10-01" in html
    assert admin_client.get(reverse("workbench:calendar:year", args=[2031])).status_code == 404


def test_the_day_form_starts_from_the_date_given(admin_client):
    response = admin_client.get(reverse("workbench:calendar:day") + "?date=2026-10-01")

    assert 'value="2026-10-01"' in response.content.decode()


def test_a_wrong_day_correction_is_shown_again_with_the_error(admin_client):
    changes = CalendarChange.objects.count()
    body = {"date": "2026-12-31", "kind": "makeup_workday", "name": "元旦", "reason": "补充通知"}

    response = admin_client.post(reverse("workbench:calendar:day_confirm"), body)

    assert response.status_code == 200
    assert "调休上班日应为周六或周日" in response.content.decode()
    assert CalendarChange.objects.count() == changes


def test_a_notice_s_details_are_corrected_from_the_page(admin_client):
    url = reverse("workbench:calendar:year_edit", args=[2026])
    row = CalendarYear.objects.get(year=2026)
    body = {
        "notice_title": row.notice_title,
        "notice_number": row.notice_number,
        "published_on": row.published_on.isoformat(),
        "source": "https://www.gov.cn/zhengce/",
        "notes": "",
    }

    response = admin_client.post(url, body)

    assert response["Location"] == reverse("workbench:calendar:year", args=[2026])
    assert CalendarYear.objects.get(year=2026).source == "https://www.gov.cn/zhengce/"
    refused = admin_client.post(url, {**body, "notice_number": ""})
    assert "请填写发文字号" in refused.content.decode()
