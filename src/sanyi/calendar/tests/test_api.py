"""Working-day calendar endpoints under /api/v1/calendar/.

The arithmetic belongs to the calendar app; these tests check that the API asks it the
right question, answers in the documented shape and refuses bad input by name.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from sanyi.api.tests.problems import fields_of, problem_of

pytestmark = pytest.mark.django_db
DEADLINE = "/api/v1/calendar/deadline/"
BETWEEN = "/api/v1/calendar/between/"
WORKDAY = "/api/v1/calendar/workday/"
DAYS = "/api/v1/calendar/days/"


@pytest.fixture
def api():
    return APIClient()


def test_twenty_working_days_from_21_september_2026_is_26_october(api):
    response = api.get(DEADLINE, {"start": "2026-09-21", "days": 20})

    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-21",
        "days": 20,
        "due_date": "2026-10-26",
        "provisional": False,
        "roll_nonworking_start": True,
        "stops": [],
    }


def test_a_deadline_running_into_an_unloaded_year_is_provisional(api):
    # 2027's notice is not loaded: its days count as plain weekdays, 1 January included.
    response = api.get(DEADLINE, {"start": "2026-12-21", "days": 20})

    body = response.json()
    assert body["due_date"] == "2027-01-18"
    assert body["provisional"] is True


def test_a_clock_stop_pushes_the_deadline_back(api):
    # 22 Sep still counts; 23-30 Sep do not; counting resumes after the National Day break.
    response = api.get(
        DEADLINE, {"start": "2026-09-21", "days": 20, "stop": "2026-09-22:2026-09-30"}
    )

    body = response.json()
    assert body["due_date"] == "2026-11-02"
    assert body["stops"] == [{"stopped_on": "2026-09-22", "restarted_on": "2026-09-30"}]


def test_several_stops_may_be_given(api):
    response = api.get(
        DEADLINE,
        {
            "start": "2026-09-21",
            "days": 20,
            "stop": ["2026-09-22:2026-09-30", "2026-10-26:2026-10-27"],
        },
    )

    assert response.json()["due_date"] == "2026-11-03"
    assert len(response.json()["stops"]) == 2


@pytest.mark.parametrize(("roll", "due"), [("true", "2026-10-09"), ("false", "2026-10-08")])
def test_roll_decides_whether_a_holiday_start_counts_from_the_next_working_day(api, roll, due):
    response = api.get(DEADLINE, {"start": "2026-10-01", "days": 1, "roll": roll})

    assert response.json()["due_date"] == due
    assert response.json()["roll_nonworking_start"] is (roll == "true")


def test_without_roll_the_site_setting_decides(api, settings):
    settings.SANYI_ROLL_NONWORKING_RECEIPT = False

    response = api.get(DEADLINE, {"start": "2026-10-01", "days": 1})

    assert response.json()["due_date"] == "2026-10-08"
    assert response.json()["roll_nonworking_start"] is False


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"days": 20}, "start", "缺少起算日期（start）"),
        ({"start": "2026-02-30", "days": 20}, "start", "起算日期（start）应为"),
        ({"start": "21/09/2026", "days": 20}, "start", "起算日期（start）应为"),
        ({"start": "2026-09-21"}, "days", "缺少工作日数（days）"),
        ({"start": "2026-09-21", "days": "二十"}, "days", "工作日数（days）应为整数"),
        ({"start": "2026-09-21", "days": -1}, "days", "工作日数（days）不能为负数"),
        ({"start": "2026-09-21", "days": 5001}, "days", "工作日数（days）不能超过 5000"),
        ({"start": "2026-09-21", "days": 1, "roll": "maybe"}, "roll", "顺延起算日（roll）"),
        ({"start": "2026-09-21", "days": 1, "stop": "2026-09-22"}, "stop", "第1个计时暂停（stop）"),
        (
            {"start": "2026-09-21", "days": 1, "stop": "2026-09-30:2026-09-22"},
            "stop",
            "第1个计时暂停（stop）的恢复日期 2026-09-22 早于暂停日期 2026-09-30",
        ),
    ],
)
def test_bad_deadline_parameters_are_a_400_naming_the_parameter(api, query, field, message):
    problem = problem_of(api.get(DEADLINE, query), 400)

    assert list(fields_of(problem)) == [field]
    assert fields_of(problem)[field][0].startswith(message)


def test_a_due_date_beyond_the_representable_range_is_refused_on_days(api):
    problem = problem_of(api.get(DEADLINE, {"start": "9999-12-01", "days": 100}), 400)

    assert list(fields_of(problem)) == ["days"]


def test_workdays_between_counts_after_the_first_date_through_the_second(api):
    response = api.get(BETWEEN, {"from": "2026-09-21", "to": "2026-10-26"})

    assert response.json() == {
        "from": "2026-09-21",
        "to": "2026-10-26",
        "workdays": 20,
        "provisional": False,
        "stops": [],
    }


def test_workdays_between_is_negative_backwards_and_provisional_across_unloaded_years(api):
    backwards = api.get(BETWEEN, {"from": "2026-10-26", "to": "2026-09-21"}).json()
    into_2027 = api.get(BETWEEN, {"from": "2026-12-21", "to": "2027-01-18"}).json()

    assert backwards["workdays"] == -20
    assert into_2027 == {**into_2027, "workdays": 20, "provisional": True}


def test_workdays_between_deducts_stops(api):
    response = api.get(
        BETWEEN, {"from": "2026-09-21", "to": "2026-11-02", "stop": "2026-09-22:2026-09-30"}
    )

    assert response.json()["workdays"] == 20


def test_between_names_its_bad_parameters(api):
    problem = problem_of(api.get(BETWEEN, {"from": "昨天"}), 400)

    assert fields_of(problem) == {
        "from": ["开始日期（from）应为 YYYY-MM-DD 格式的日期，例如 2026-09-21"],
        "to": ["缺少结束日期（to），应为 YYYY-MM-DD 格式的日期，例如 2026-09-21"],
    }


@settings(max_examples=25, deadline=None)
@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
    days=st.integers(min_value=1, max_value=80),
)
@pytest.mark.django_db
def test_a_deadline_is_exactly_its_days_after_its_start(start, days):
    # Without a roll, the two endpoints must agree: between(start, due) == days.
    client = APIClient()
    due = client.get(DEADLINE, {"start": start, "days": days, "roll": "false"}).json()

    count = client.get(BETWEEN, {"from": start, "to": due["due_date"]}).json()

    assert count["workdays"] == days
    assert date.fromisoformat(due["due_date"]) > start
    one_day_earlier = date.fromisoformat(due["due_date"]) - timedelta(days=1)
    assert client.get(BETWEEN, {"from": start, "to": one_day_earlier}).json()["workdays"] == (
        days - 1
    )


@pytest.mark.parametrize(
    ("day", "is_workday", "kind", "name", "reason"),
    [
        ("2026-10-10", True, "makeup_workday", "国庆节", "星期六，国庆节调休上班"),
        ("2026-10-01", False, "holiday", "国庆节", "星期四，国庆节假期，休息"),
        ("2026-10-11", False, "weekend", None, "星期日，休息"),
        ("2026-10-12", True, "weekday", None, "星期一，工作日"),
    ],
)
def test_workday_says_whether_and_why(api, day, is_workday, kind, name, reason):
    body = api.get(WORKDAY, {"date": day}).json()

    assert body == {
        "date": day,
        "is_workday": is_workday,
        "day_kind": kind,
        "holiday_name": name,
        "reason": reason,
        "provisional": False,
    }


def test_a_day_in_an_unloaded_year_is_judged_on_weekdays_and_flagged(api):
    body = api.get(WORKDAY, {"date": "2027-10-01"}).json()

    assert body["is_workday"] is True  # a Friday; 2027's National Day is not loaded yet
    assert body["provisional"] is True
    assert "2027年节假日安排尚未载入" in body["reason"]


def test_days_lists_a_loaded_years_holidays_and_makeup_days(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the notice, its days
        body = api.get(DAYS, {"year": 2026}).json()

    assert body["loaded"] is True
    assert body["provisional"] is False
    assert body["notice_number"] == "国办发明电〔2025〕7号"
    assert {
        "date": "2026-10-10",
        "kind": "makeup_workday",
        "kind_display": "调休上班",
        "name": "国庆节",
    } in body["days"]
    holidays = [d["date"] for d in body["days"] if d["kind"] == "holiday"]
    assert "2026-10-07" in holidays
    assert all(d["date"].startswith("2026-") for d in body["days"])


def test_days_of_an_unloaded_year_is_empty_and_provisional(api):
    body = api.get(DAYS, {"year": 2027}).json()

    assert body == {
        "year": 2027,
        "loaded": False,
        "provisional": True,
        "notice_title": None,
        "notice_number": None,
        "published_on": None,
        "days": [],
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "缺少年份（year）"),
        ({"year": "明年"}, "年份（year）应为四位数字"),
        ({"year": 1900}, "年份（year）不能早于 1950"),
    ],
)
def test_days_names_a_bad_year(api, query, message):
    problem = problem_of(api.get(DAYS, query), 400)

    assert fields_of(problem)["year"][0].startswith(message)


def test_calendar_answers_cost_few_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # at most a calendar rebuild; usually none
        api.get(DEADLINE, {"start": "2026-09-21", "days": 20})
    with django_assert_max_num_queries(3):
        api.get(WORKDAY, {"date": "2026-10-10"})
