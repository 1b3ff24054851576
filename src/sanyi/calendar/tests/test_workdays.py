"""Hand-computed deadlines on the official 2025/2026 calendar (no database)."""

from datetime import date, datetime

import pytest

from sanyi.calendar.tests.factories import official_work_calendar
from sanyi.calendar.workdays import Count, Deadline, WorkCalendar

CAL = official_work_calendar()
D = date


def test_the_issue_example_skips_mid_autumn_and_national_day():
    # 9/22-24 (3), 9/28-30 (6), the Sunday make-up 9/20 is before the start, 10/1-7 off,
    # 10/8-9 (8), Saturday 10/10 works (9), 10/12-16 (14), 10/19-23 (19), 10/26 (20).
    assert CAL.add_workdays(D(2026, 9, 21), 20) == Deadline(D(2026, 10, 26), False)


def test_the_start_day_does_not_count():
    assert CAL.add_workdays(D(2026, 3, 2), 1).date == D(2026, 3, 3)


@pytest.mark.parametrize(
    ("n", "due"),
    [
        (1, D(2026, 2, 14)),  # the Saturday before the festival works
        (2, D(2026, 2, 24)),  # 2/15-2/23 off
        (5, D(2026, 2, 27)),
        (6, D(2026, 2, 28)),  # the Saturday after the festival works
        (7, D(2026, 3, 2)),
    ],
)
def test_spring_festival_2026(n, due):
    assert CAL.add_workdays(D(2026, 2, 13), n).date == due


def test_a_start_on_a_makeup_saturday_counts_from_the_next_working_day():
    assert CAL.add_workdays(D(2026, 2, 14), 1).date == D(2026, 2, 24)
    # A make-up Saturday is a working day, so rolling changes nothing.
    assert CAL.add_workdays(D(2026, 2, 14), 1, roll_nonworking_start=True).date == D(2026, 2, 24)


def test_a_start_on_a_holiday_without_roll():
    assert CAL.add_workdays(D(2026, 10, 1), 1).date == D(2026, 10, 8)
    assert CAL.add_workdays(D(2026, 10, 1), 3).date == D(2026, 10, 10)


def test_a_start_on_a_holiday_with_roll_counts_from_the_first_working_day_after():
    # Received 10/1, treated as received Thursday 10/8: day 1 is Friday 10/9.
    assert CAL.add_workdays(D(2026, 10, 1), 1, roll_nonworking_start=True).date == D(2026, 10, 9)
    assert CAL.add_workdays(D(2026, 10, 1), 2, roll_nonworking_start=True).date == D(2026, 10, 10)


def test_zero_days_returns_the_start_rolled_if_asked():
    assert CAL.add_workdays(D(2026, 10, 1), 0).date == D(2026, 10, 1)
    assert CAL.add_workdays(D(2026, 10, 1), 0, roll_nonworking_start=True).date == D(2026, 10, 8)


def test_a_sunday_makeup_day_across_new_year_counts():
    assert CAL.add_workdays(D(2025, 12, 31), 1) == Deadline(D(2026, 1, 4), False)


def test_2025_national_day_and_mid_autumn():
    # 9/28 (Sun) works, 10/1-8 off, 10/11 (Sat) works.
    assert CAL.add_workdays(D(2025, 9, 26), 1).date == D(2025, 9, 28)
    assert CAL.add_workdays(D(2025, 9, 30), 1).date == D(2025, 10, 9)
    assert CAL.add_workdays(D(2025, 9, 30), 3).date == D(2025, 10, 11)


def test_a_clock_stop_moves_the_deadline():
    stop = (D(2026, 9, 22), D(2026, 9, 30))
    # 9/22 still counts (day 1); 9/23-9/30 do not; then 10/8 is day 2 ... 11/2 is day 20.
    assert CAL.add_workdays(D(2026, 9, 21), 20, stops=[stop]).date == D(2026, 11, 2)


def test_the_stop_day_counts_and_the_restart_day_does_not():
    stop = (D(2026, 3, 3), D(2026, 3, 5))
    assert CAL.add_workdays(D(2026, 3, 2), 1, stops=[stop]).date == D(2026, 3, 3)
    assert CAL.add_workdays(D(2026, 3, 2), 2, stops=[stop]).date == D(2026, 3, 6)
    assert CAL.add_workdays(D(2026, 3, 2), 3, stops=[stop]).date == D(2026, 3, 9)


def test_overlapping_unsorted_stops_are_merged():
    stops = [(D(2026, 3, 4), D(2026, 3, 10)), (D(2026, 3, 3), D(2026, 3, 5))]
    assert CAL.add_workdays(D(2026, 3, 2), 2, stops=stops).date == D(2026, 3, 11)
    assert CAL.workdays_between(D(2026, 3, 2), D(2026, 3, 12), stops=stops).days == 3


def test_a_stop_restarted_the_same_day_stops_nothing():
    stops = [(D(2026, 3, 3), D(2026, 3, 3))]
    assert CAL.add_workdays(D(2026, 3, 2), 3, stops=stops).date == D(2026, 3, 5)


def test_a_stop_begun_before_the_start_still_holds_the_clock():
    stops = [(D(2026, 3, 2), D(2026, 3, 6))]
    assert CAL.add_workdays(D(2026, 3, 4), 1, stops=stops).date == D(2026, 3, 9)


def test_a_stop_that_ended_before_the_start_changes_nothing():
    stops = [(D(2026, 2, 2), D(2026, 2, 6))]
    assert CAL.add_workdays(D(2026, 3, 2), 3, stops=stops).date == D(2026, 3, 5)


def test_a_restart_earlier_than_the_stop_is_refused():
    with pytest.raises(ValueError, match="恢复日期2026-03-01早于暂停日期2026-03-05"):
        CAL.add_workdays(D(2026, 3, 2), 3, stops=[(D(2026, 3, 5), D(2026, 3, 1))])


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="不能为负数"):
        CAL.add_workdays(D(2026, 3, 2), -1)


def test_a_fractional_count_is_refused():
    with pytest.raises(TypeError, match="工作日数应为整数"):
        CAL.add_workdays(D(2026, 3, 2), 1.5)


def test_a_datetime_is_refused():
    with pytest.raises(TypeError, match="日期"):
        CAL.add_workdays(datetime(2026, 3, 2, 9, 0), 1)


def test_a_2027_date_is_provisional_and_counted_on_weekdays():
    assert CAL.is_provisional(D(2027, 1, 1))
    assert CAL.is_workday(D(2027, 1, 1))  # a Friday; its holiday is not known yet
    assert not CAL.is_provisional(D(2026, 12, 31))
    assert CAL.add_workdays(D(2027, 3, 1), 5) == Deadline(D(2027, 3, 8), True)


def test_a_computation_crossing_into_2027_is_provisional():
    assert CAL.add_workdays(D(2026, 12, 21), 20) == Deadline(D(2027, 1, 18), True)
    assert CAL.add_workdays(D(2026, 12, 1), 5) == Deadline(D(2026, 12, 8), False)


def test_a_start_in_an_unloaded_year_is_provisional_even_when_the_result_is_not():
    assert CAL.add_workdays(D(2024, 12, 30), 3) == Deadline(D(2025, 1, 3), True)


def test_between_counts_the_end_day_and_not_the_start_day():
    assert CAL.workdays_between(D(2026, 9, 21), D(2026, 10, 26)) == Count(20, False)
    assert CAL.workdays_between(D(2026, 9, 30), D(2026, 10, 8)) == Count(1, False)


def test_between_is_zero_for_the_same_day_and_negative_backwards():
    assert CAL.workdays_between(D(2026, 10, 8), D(2026, 10, 8)) == Count(0, False)
    assert CAL.workdays_between(D(2026, 10, 26), D(2026, 9, 21)) == Count(-20, False)


def test_between_leaves_out_stopped_days():
    stops = [(D(2026, 3, 3), D(2026, 3, 5))]
    assert CAL.workdays_between(D(2026, 3, 2), D(2026, 3, 9), stops=stops) == Count(3, False)


def test_between_across_new_year_into_2027_is_provisional():
    assert CAL.workdays_between(D(2026, 12, 30), D(2027, 1, 4)) == Count(3, True)


def test_a_calendar_without_any_year_counts_weekdays_and_is_always_provisional():
    empty = WorkCalendar({}, {}, [])
    assert empty.add_workdays(D(2026, 10, 1), 3) == Deadline(D(2026, 10, 6), True)
    assert empty.workdays_between(D(2026, 10, 2), D(2026, 10, 9)) == Count(5, True)


def test_a_gap_between_loaded_years_is_provisional():
    cal = WorkCalendar({D(2024, 1, 1): "元旦"}, {}, [2024, 2026])
    assert cal.add_workdays(D(2025, 6, 2), 1) == Deadline(D(2025, 6, 3), True)
    assert cal.add_workdays(D(2024, 12, 30), 1) == Deadline(D(2024, 12, 31), False)
    assert cal.add_workdays(D(2024, 12, 31), 1) == Deadline(D(2025, 1, 1), True)


def test_a_day_cannot_be_both_holiday_and_makeup_day():
    with pytest.raises(ValueError, match="既是节假日又是调休上班日"):
        WorkCalendar({D(2026, 2, 14): "春节"}, {D(2026, 2, 14): "春节"}, [2026])


def test_special_days_must_lie_in_loaded_years():
    with pytest.raises(ValueError, match="2027年未列为已载入年份"):
        WorkCalendar({D(2027, 1, 1): "元旦"}, {}, [2026])


def test_names_of_holidays_and_makeup_days():
    assert CAL.holiday_name(D(2026, 2, 17)) == "春节"
    assert CAL.makeup_workday_name(D(2026, 9, 20)) == "国庆节"
    assert CAL.holiday_name(D(2026, 3, 3)) is None
