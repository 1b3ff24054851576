"""The visit log pages on the phone: the household list (own grids only, names masked,
filters), one household's log with the new-visit form, 待走访 on 今日任务."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanyi.grid import services
from sanyi.grid.models import HouseholdVisit
from sanyi.grid.tests.factories import household

pytestmark = pytest.mark.django_db


def _log(person, officer, days_ago=0, notes=""):
    return services.household_visit_record(
        applicant=person,
        actor=officer,
        data=services.HouseholdVisitInput(
            visited_at=timezone.now() - dt.timedelta(days=days_ago), notes=notes
        ),
    )


def test_list_shows_own_households_masked(client, gw, django_assert_max_num_queries):
    mine = [household(f"示范区文一路{n}号", name=f"林{n}娟") for n in (1, 3, 5)]
    other = household("示范区文一路4号", name="欧阳其他")
    _log(mine[0], gw["officer_a"], days_ago=100)
    client.force_login(gw["officer_a"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("workbench:grid:households"))
    body = page.content.decode()
    assert page.status_code == 200
    for person in mine:
        assert reverse("workbench:grid:household", args=[person.pk]) in body
        assert person.display_name in body and person.name not in body
    assert other.address not in body
    assert "已超期" in body


def test_list_filter_overdue(client, gw):
    late, never = household("示范区文一路1号"), household("示范区文一路3号")
    _log(late, gw["officer_a"], days_ago=100)
    client.force_login(gw["officer_a"])
    body = client.get(reverse("workbench:grid:households"), {"due": "overdue"}).content.decode()
    assert late.address in body and never.address not in body


def test_household_page_lists_visits_newest_first(client, gw):
    person = household("示范区文一路1号")
    _log(person, gw["officer_a"], days_ago=30, notes="第一次走访")
    _log(person, gw["officer_a"], days_ago=2, notes="第二次走访")
    client.force_login(gw["officer_a"])
    body = client.get(reverse("workbench:grid:household", args=[person.pk])).content.decode()
    assert body.index("第二次走访") < body.index("第一次走访")
    default = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    assert f'value="{default}"' in body


def test_household_page_records_a_visit(client, gw):
    person = household("示范区文一路1号")
    client.force_login(gw["officer_a"])
    url = reverse("workbench:grid:household", args=[person.pk])
    due = timezone.localdate() + dt.timedelta(days=20)
    response = client.post(
        url,
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "notes": "老人身体健康",
            "follow_up": "on",
            "next_due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    visit = HouseholdVisit.objects.get()
    assert (visit.next_due_on, visit.follow_up, visit.officer) == (due, True, gw["officer_a"])


def test_household_page_names_the_wrong_field_and_saves_nothing(client, gw):
    person = household("示范区文一路1号")
    client.force_login(gw["officer_a"])
    response = client.post(
        reverse("workbench:grid:household", args=[person.pk]),
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "next_due_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "下次走访日期须晚于本次走访日期" in response.content.decode()
    assert not HouseholdVisit.objects.exists()


def test_household_of_another_grid_is_not_found(client, gw):
    other = household("示范区文一路4号")
    client.force_login(gw["officer_a"])
    assert client.get(reverse("workbench:grid:household", args=[other.pk])).status_code == 404


def test_today_lists_households_due(client, gw):
    due, later = household("示范区文一路1号"), household("示范区文一路3号")
    _log(due, gw["officer_a"], days_ago=88)
    _log(later, gw["officer_a"], days_ago=1)
    client.force_login(gw["officer_a"])
    body = client.get(reverse("workbench:grid:today")).content.decode()
    assert "待走访（1户）" in body
    assert reverse("workbench:grid:household", args=[due.pk]) in body
    assert reverse("workbench:grid:household", args=[later.pk]) not in body


def test_list_refused_to_other_staff(client, gw):
    client.force_login(gw["approver"])
    assert client.get(reverse("workbench:grid:households")).status_code == 403
