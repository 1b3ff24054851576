"""Due dates against hand-computed cases on the 2026 calendar.

Every expected date below was counted by hand on the 2026 notice (国办发明电〔2025〕7号):
春节 2/15–2/23 off with 2/14 (Sat) and 2/28 (Sat) worked; 劳动节 5/1–5/5 off with 5/9
(Sat) worked; 中秋 9/25–9/27 and 国庆 10/1–10/7 off with 9/20 (Sun) and 10/10 (Sat) worked.
The test item has a statutory limit of 20 and a promised limit of 10 working days.
"""

import datetime as dt

import pytest

from sanyi.calendar.selectors import current_calendar
from sanyi.cases import clocks, selectors, services
from sanyi.cases.choices import CaseStatus, EventKind, StopReason, WarningLevel
from sanyi.cases.clocks import add_months, limit_due
from sanyi.cases.tests import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


def _accepted(w, on, **kw):
    return f.case(w, state="in_progress", on=on, **kw)


def test_across_national_day_and_mid_autumn(w):
    # Accepted Tue 9/22: 9/23 (1), 9/24 (2), 9/25–27 中秋, 9/28–30 (3–5), 10/1–7 国庆,
    # 10/8 (6), 10/9 (7), Sat 10/10 worked (8), 10/12 (9), 10/13 (10).
    case = _accepted(w, D(2026, 9, 22))
    assert case.promised_due_on == D(2026, 10, 13)
    # ... 10/14–16 (11–13), 10/19–23 (14–18), 10/26 (19), 10/27 (20).
    assert case.statutory_due_on == D(2026, 10, 27)
    assert case.due_provisional is False


def test_sunday_make_up_day_before_national_day_counts(w):
    # Accepted Fri 9/18: Sun 9/20 is worked (1), 9/21–24 (2–5), 9/28–30 (6–8),
    # 10/8 (9), 10/9 (10).
    case = _accepted(w, D(2026, 9, 18))
    assert case.promised_due_on == D(2026, 10, 9)


def test_across_spring_festival(w):
    # Accepted Wed 2/11: 2/12 (1), 2/13 (2), Sat 2/14 worked (3), 2/15–23 off,
    # 2/24–27 (4–7), Sat 2/28 worked (8), 3/2 (9), 3/3 (10).
    case = _accepted(w, D(2026, 2, 11))
    assert case.promised_due_on == D(2026, 3, 3)
    # 3/4–6 (11–13), 3/9–13 (14–18), 3/16 (19), 3/17 (20).
    assert case.statutory_due_on == D(2026, 3, 17)


def test_across_labour_day(w):
    # Accepted Wed 4/29: 4/30 (1), 5/1–5 off, 5/6–8 (2–4), Sat 5/9 worked (5),
    # 5/11–15 (6–10).
    case = _accepted(w, D(2026, 4, 29))
    assert case.promised_due_on == D(2026, 5, 15)


def test_clock_stop_across_labour_day_moves_both_dates(w):
    case = _accepted(w, D(2026, 4, 29))
    services.clock_stop(
        case=case, reason=StopReason.EXPERT_REVIEW, actor=w["approver"], on=D(2026, 5, 7)
    )
    case = services.clock_restart(case=case, actor=w["approver"], on=D(2026, 5, 12))
    # 4/30 (1), 5/6 (2), the stop day 5/7 still counts (3); 5/8, Sat 5/9 (a working day),
    # 5/11 and 5/12 do not; 5/13 (4), 5/14 (5), 5/15 (6), 5/18–21 (7–10).
    assert case.promised_due_on == D(2026, 5, 21)
    # 5/22 (11), 5/25–29 (12–16), 6/1–4 (17–20).
    assert case.statutory_due_on == D(2026, 6, 4)
    stop = case.clock_stops.get()
    assert stop.days == 4  # 5/8, 5/9, 5/11, 5/12
    assert case.stopped_days == 4
    assert case.status == CaseStatus.IN_PROGRESS
    restarted = case.events.get(kind=EventKind.CLOCK_RESTARTED)
    assert restarted.detail["old"]["promised_due_on"] == "2026-05-15"
    assert restarted.detail["new"]["promised_due_on"] == "2026-05-21"


def test_open_stop_counts_to_today_for_display(w):
    case = _accepted(w, D(2026, 9, 22))
    services.clock_stop(
        case=case, reason=StopReason.HEARING, actor=w["approver"], on=D(2026, 9, 24)
    )
    case.refresh_from_db()
    # Seen on 9/30: 9/23 and the stop day 9/24 are used; 9/28–30 are stopped (3 days).
    clock = selectors.case_clock(case, today=D(2026, 9, 30))
    assert (clock.elapsed, clock.stopped) == (2, 3)
    # The promised date as it stands that day: 8 days left after 9/30 → 10/8 (3),
    # 10/9 (4), Sat 10/10 (5), 10/12–16 (6–10).
    assert clock.promised_due_on == D(2026, 10, 16)
    assert clock.remaining == 8
    assert clock.running is False


def test_extension_adds_working_days_to_both_limits(w):
    case = _accepted(w, D(2026, 9, 22))
    case = services.case_extend(
        case=case,
        days=5,
        reason="需现场核查",
        requested_by=w["approver"],
        actor=w["approver2"],
        on=D(2026, 10, 9),
    )
    # 10/13 (10) + 10/14–16, 10/19, 10/20 → 10/20; 10/27 (20) + 10/28–30, 11/2, 11/3.
    assert case.promised_due_on == D(2026, 10, 20)
    assert case.statutory_due_on == D(2026, 11, 3)
    ext = case.extensions.get()
    assert (ext.old_due_on, ext.new_due_on) == (D(2026, 10, 13), D(2026, 10, 20))


def test_extension_with_a_stop(w):
    case = _accepted(w, D(2026, 4, 29))
    services.clock_stop(
        case=case, reason=StopReason.CORRECTION, actor=w["approver"], on=D(2026, 5, 7)
    )
    services.clock_restart(case=case, actor=w["approver"], on=D(2026, 5, 12))
    case = services.case_extend(
        case=case,
        days=2,
        reason="复杂",
        requested_by=w["approver"],
        actor=w["approver2"],
        on=D(2026, 5, 13),
    )
    # 5/21 (10) + 5/22 (11), 5/25 (12).
    assert case.promised_due_on == D(2026, 5, 25)


def test_extension_needs_a_second_person(w):
    case = _accepted(w, D(2026, 9, 22))
    with pytest.raises(Exception) as exc:
        services.case_extend(
            case=case, days=3, reason="x", requested_by=w["approver"], actor=w["approver"]
        )
    assert "另一名" in str(exc.value)


def test_roll_rule_for_acceptance_on_a_sunday(w, settings):
    # Sunday 10/11: treated as accepted Mon 10/12, so day 1 is 10/13; 10/13–16 (1–4),
    # 10/19–23 (5–9), 10/26 (10).
    case = _accepted(w, D(2026, 10, 11))
    assert case.promised_due_on == D(2026, 10, 26)
    settings.SANYI_ROLL_NONWORKING_RECEIPT = False
    # Without the rule day 1 is 10/12: 10/12–16 (1–5), 10/19–23 (6–10).
    case = _accepted(w, D(2026, 10, 11))
    assert case.promised_due_on == D(2026, 10, 23)


def test_instant_item_is_due_the_same_day(w):
    case = f.case(w, state="awaiting", item=w["instant_item"], on=D(2026, 10, 9))
    case = services.case_conclude_instant(
        case=case,
        window=w["window"],
        actor=w["clerk"],
        materials=list(case.materials.all()),
        on=D(2026, 10, 9),
    )
    assert case.promised_due_on == case.statutory_due_on == D(2026, 10, 9)
    assert case.status == CaseStatus.DELIVERED
    assert case.visits == 1  # one visit: applied, concluded and collected at once
    assert case.tasks.count() == 0


def test_step_due_dates_stay_inside_the_promised_date(w):
    case = _accepted(w, D(2026, 9, 22))
    task = case.tasks.get()
    # 审核, 5 days: 9/23, 9/24, 9/28, 9/29, 9/30.
    assert (task.name, task.due_on) == ("审核", D(2026, 9, 30))
    task = services.task_act(task=task, action="approve", actor=w["approver"], on=D(2026, 10, 12))
    # 审批, 4 days from 10/12 would end 10/16; the promised date 10/13 caps it.
    assert (task.name, task.due_on) == ("审批", D(2026, 10, 13))


def _long_version(w, **limits):
    from sanyi.catalog.tests import factories as catalog_f

    guide = f.licence_guide(
        statutory_limit=limits.get("statutory", {"value": 3, "unit": "month", "note": ""}),
        promised_limit=limits.get("promised", {"value": 45, "unit": "working_day", "note": ""}),
    )
    guide["steps"][1]["days"] = 20
    guide["steps"][2]["days"] = 20
    return catalog_f.item(unit=w["dept"], status="published", guide=guide)


def test_due_date_in_2027_is_provisional(w):
    item = _long_version(w).implementation_item
    case = _accepted(w, D(2026, 11, 2), item=item)
    # 45 working days from Mon 11/2: November gives 20 (to 11/30), December 23 (to
    # 12/31), then 2027 is not loaded: Fri 2027-01-01 counts as a weekday (44), Mon 1/4 (45).
    assert case.promised_due_on == D(2027, 1, 4)
    # Three calendar months: 2027-02-02, a Tuesday.
    assert case.statutory_due_on == D(2027, 2, 2)
    assert case.due_provisional is True
    clock = selectors.case_clock(case, today=D(2026, 11, 20))
    assert clock.provisional is True


def test_loading_2027_recomputes_and_records_the_move(w, django_capture_on_commit_callbacks):
    from sanyi.calendar.services import calendar_year_load
    from sanyi.calendar.tests.factories import notice_2027

    item = _long_version(w).implementation_item
    case = _accepted(w, D(2026, 11, 2), item=item)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor="系统：测试", data=notice_2027())
    case.refresh_from_db()
    # 2027-01-01 is now 元旦: day 44 is 1/4, day 45 is Tue 1/5.
    assert case.promised_due_on == D(2027, 1, 5)
    assert case.statutory_due_on == D(2027, 2, 2)
    assert case.due_provisional is False
    event = case.events.get(kind=EventKind.DUE_RECOMPUTED)
    assert event.detail["old"]["promised_due_on"] == "2027-01-04"
    assert event.detail["new"]["promised_due_on"] == "2027-01-05"
    assert "2027年1月4日→2027年1月5日" in event.note


def test_changed_2026_day_moves_open_cases_only(w, django_capture_on_commit_callbacks):
    from sanyi.calendar.services import calendar_day_set

    running = _accepted(w, D(2026, 11, 27))
    # Fri 11/27: 11/30 (1), 12/1–4 (2–5), 12/7–11 (6–10).
    assert running.promised_due_on == D(2026, 12, 11)
    done = f.case(w, state="delivered", on=D(2026, 11, 27))
    before = done.promised_due_on
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(actor="系统：测试", day=D(2026, 12, 7), kind="holiday", name="测试调整")
    running.refresh_from_db()
    done.refresh_from_db()
    assert running.promised_due_on == D(2026, 12, 14)
    assert running.events.filter(kind=EventKind.DUE_RECOMPUTED).count() == 1
    assert done.promised_due_on == before
    assert not done.events.filter(kind=EventKind.DUE_RECOMPUTED).exists()


def test_warnings_turn_yellow_then_red_and_notify_once(w):
    from sanyi.notify.models import Message

    case = _accepted(w, D(2026, 9, 22))  # promised 10/13
    task = case.tasks.get()
    services.task_claim(task=task, actor=w["approver"])
    # On 10/12 nine of ten days are used: yellow.
    counts = services.case_update_warnings(today=D(2026, 10, 12))
    case.refresh_from_db()
    assert case.warning_level == WarningLevel.YELLOW
    assert counts["yellow"] >= 1
    services.case_update_warnings(today=D(2026, 10, 12))
    yellow = Message.objects.filter(event="case.yellow", object_id=str(case.pk))
    assert yellow.filter(user=w["approver"]).count() == 1
    assert yellow.filter(user=w["supervisor"]).count() == 1
    services.case_update_warnings(today=D(2026, 10, 14))
    case.refresh_from_db()
    assert case.warning_level == WarningLevel.RED
    assert Message.objects.filter(event="case.red", user=w["approver"]).count() == 1
    assert selectors.overdue_cases(w["supervisor"], today=D(2026, 10, 14)).filter(pk=case.pk)


# --- the arithmetic alone -----------------------------------------------------------------


def test_natural_days_and_months(official):
    cal = current_calendar()
    kw = {"calendar": cal, "roll": True}
    # 10 calendar days from 9/28 end on Thu 10/8, a working day.
    assert limit_due(start=D(2026, 9, 28), value=10, unit="natural_day", **kw).date == D(
        2026, 10, 8
    )
    # 7 days from 9/24 end on 10/1 (国庆): the limit ends on the next working day, 10/8.
    assert limit_due(start=D(2026, 9, 24), value=7, unit="natural_day", **kw).date == D(2026, 10, 8)
    # 10 days from 9/30 end on Sat 10/10, a make-up working day: it stays.
    assert limit_due(start=D(2026, 9, 30), value=10, unit="natural_day", **kw).date == D(
        2026, 10, 10
    )
    # One month from 1/31 is 2/28 (Sat, worked for 春节).
    assert limit_due(start=D(2026, 1, 30), value=1, unit="month", **kw).date == D(2026, 2, 28)
    # One month from 1/15 is 2/15, inside 春节: 2/24.
    assert limit_due(start=D(2026, 1, 15), value=1, unit="month", **kw).date == D(2026, 2, 24)
    # A stop 9/29 → 10/2 adds 3 calendar days (9/30, 10/1, 10/2): 10/8 + 3 = Sun 10/11 → 10/12.
    assert limit_due(
        start=D(2026, 9, 28),
        value=10,
        unit="natural_day",
        stops=[(D(2026, 9, 29), D(2026, 10, 2))],
        **kw,
    ).date == D(2026, 10, 12)
    assert limit_due(start=D(2026, 9, 28), value=None, unit="none", **kw) is None
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_clock_of_unaccepted_case_is_empty(w):
    case = f.case(w, state="awaiting")
    clock = clocks.clock_of(case)
    assert clock.promised_due_on is None and clock.elapsed == 0
