"""Admin edits go through the services: checked, audited, recorded and announced."""

import json
from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from sanyi.audit.selectors import audit_history
from sanyi.calendar.models import CalendarChange, CalendarDay, CalendarYear
from sanyi.calendar.selectors import current_calendar
from sanyi.calendar.signals import calendar_changed
from sanyi.calendar.tests.factories import notice_2027
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories
from sanyi.portal.tests.factories import system_admin, verified_login

pytestmark = pytest.mark.usefixtures("official")
DAYS = "/admin/calendar/calendarday/"


@pytest.fixture
def admin_user():
    user = system_admin()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def admin_client(client, admin_user, settings):
    # Pages are rendered without a collected static manifest, whichever SANYI_ENV is set.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    verified_login(client, admin_user)
    return client


@pytest.fixture
def announced():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    calendar_changed.connect(receiver)
    yield calls
    calendar_changed.disconnect(receiver)


def test_adding_a_holiday_in_admin_is_audited_and_announced(
    admin_client, admin_user, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"{DAYS}add/", {"date": "2026-03-03", "kind": "holiday", "name": "特殊休假"}
        )
    assert response.status_code == 302
    row = CalendarDay.objects.get(date=date(2026, 3, 3))
    audit = list(audit_history(object_type="calendar.calendarday", object_id=row.pk))
    assert [(a.action, a.actor_id) for a in audit] == [("calendar_day.set", admin_user.pk)]
    assert CalendarChange.objects.order_by("-id").first().actor == admin_user
    assert announced[0]["years"] == {2026} and announced[0]["actor"] == admin_user
    assert not current_calendar().is_workday(date(2026, 3, 3))


def test_renaming_a_day_in_admin_goes_through_the_service(admin_client, admin_user):
    row = CalendarDay.objects.get(date=date(2026, 10, 10))
    response = admin_client.post(
        f"{DAYS}{row.pk}/change/", {"kind": "makeup_workday", "name": "国庆节、中秋节"}
    )
    assert response.status_code == 302
    audit = list(audit_history(object_type="calendar.calendarday", object_id=row.pk))
    assert audit[-1].changes == {"name": ["国庆节", "国庆节、中秋节"]}


def test_deleting_a_day_in_admin_is_audited_and_announced(
    admin_client, announced, django_capture_on_commit_callbacks
):
    row = CalendarDay.objects.get(date=date(2026, 10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{DAYS}{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=row.pk).exists()
    audit = list(audit_history(object_type="calendar.calendarday", object_id=row.pk))
    assert audit[-1].action == "calendar_day.remove"
    assert announced[0]["years"] == {2026}


def test_a_weekday_makeup_day_is_refused_in_the_form(admin_client):
    response = admin_client.post(
        f"{DAYS}add/", {"date": "2026-03-03", "kind": "makeup_workday", "name": "春节"}
    )
    assert response.status_code == 200
    assert "调休上班日应为周六或周日" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2026, 3, 3)).exists()


def test_uploading_a_notice_loads_the_year(admin_client, admin_user):
    upload = SimpleUploadedFile(
        "2027.json", json.dumps(notice_2027(), ensure_ascii=False).encode(), "application/json"
    )
    response = admin_client.post("/admin/calendar/calendaryear/add/", {"notice_file": upload})
    assert response.status_code == 302
    row = CalendarYear.objects.get(year=2027)
    assert [
        a.actor_id for a in audit_history(object_type="calendar.calendaryear", object_id=row.pk)
    ] == [admin_user.pk]
    assert not current_calendar().is_provisional(date(2027, 2, 8))


def test_a_bad_upload_names_the_entry_and_loads_nothing(admin_client):
    bad = notice_2027(makeup_workdays=[{"date": "2027-02-17", "name": "春节"}])
    upload = SimpleUploadedFile("2027.json", json.dumps(bad, ensure_ascii=False).encode())
    response = admin_client.post("/admin/calendar/calendaryear/add/", {"notice_file": upload})
    assert response.status_code == 200
    assert "第1个调休上班日（2027-02-17）" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_only_system_admins_may_use_the_calendar_admin(admin_user):
    clerk = org_factories.staff(org_factories.district(), Role.WINDOW_CLERK)
    model_admin = site._registry[CalendarDay]
    for user, allowed in [(admin_user, True), (clerk, False)]:
        request = RequestFactory().get(DAYS)
        request.user = user
        assert model_admin.has_view_permission(request) is allowed
        assert model_admin.has_change_permission(request) is allowed
        assert model_admin.has_delete_permission(request) is allowed


@pytest.mark.parametrize(
    "path",
    [
        DAYS,
        "/admin/calendar/calendaryear/",
        "/admin/calendar/calendaryear/add/",
        "/admin/calendar/calendarchange/",
    ],
)
def test_admin_pages_render_with_few_queries(admin_client, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = admin_client.get(path)
    assert response.status_code == 200


def test_the_year_page_lists_its_days(admin_client):
    row = CalendarYear.objects.get(year=2026)
    html = admin_client.get(f"/admin/calendar/calendaryear/{row.pk}/change/").content.decode()
    assert "2026-02-14（星期六）调休上班：春节" in html
    assert "国办发明电〔2025〕7号" in html
