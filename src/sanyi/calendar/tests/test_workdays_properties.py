"""Properties of the working-day arithmetic, checked with hypothesis against a plain
day-by-day reference written here, on the official calendar and on random ones."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sanyi.calendar.tests.factories import official_work_calendar
from sanyi.calendar.workdays import WorkCalendar

OFFICIAL = official_work_calendar()
# Half a year either side of the loaded years, so provisional stretches are covered too.
DAYS = st.dates(min_value=date(2024, 7, 1), max_value=date(2027, 6, 30))
SMALL_N = st.integers(min_value=0, max_value=80)
STOPS = st.lists(
    st.tuples(DAYS, st.integers(min_value=0, max_value=40)).map(
        lambda t: (t[0], t[0] + timedelta(days=t[1]))
    ),
    max_size=4,
)


def _weekend(d: date) -> bool:
    return d.weekday() >= 5


@st.composite
def calendars(draw):
    """A random calendar: some loaded years (gaps allowed), holidays, weekend make-up days."""
    years = draw(st.sets(st.integers(min_value=2024, max_value=2028), max_size=4))
    year_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)).filter(
        lambda d: d.year in years
    )
    holidays, makeup = {}, {}
    if years:
        for d in draw(st.lists(year_days, max_size=40)):
            holidays[d] = "节"
        for d in draw(st.lists(year_days.filter(_weekend), max_size=10)):
            if d not in holidays:
                makeup[d] = "节"
    return WorkCalendar(holidays, makeup, years)


class Reference:
    """Day by day, the way a person counts on a printed calendar."""

    def __init__(self, cal: WorkCalendar):
        self.holidays, self.makeup, self.years = cal.holidays, cal.makeup_workdays, cal.loaded_years

    def is_workday(self, d):
        return d in self.makeup or (d.weekday() < 5 and d not in self.holidays)

    @staticmethod
    def stopped(stops):
        days = set()
        for stopped_on, restarted_on in stops:
            d = stopped_on + timedelta(days=1)
            while d <= restarted_on:
                days.add(d)
                d += timedelta(days=1)
        return days

    def provisional(self, a, b):
        return any(y not in self.years for y in range(min(a, b).year, max(a, b).year + 1))

    def add(self, start, n, stops=(), roll=False):
        stopped = self.stopped(stops)
        d = start
        if roll:
            while not self.is_workday(d):
                d += timedelta(days=1)
        counted = 0
        while counted < n:
            d += timedelta(days=1)
            if self.is_workday(d) and d not in stopped:
                counted += 1
        return d, self.provisional(start, d)

    def between(self, a, b, stops=()):
        stopped = self.stopped(stops)
        lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
        days = sum(
            1
            for k in range(1, (hi - lo).days + 1)
            if self.is_workday(lo + timedelta(days=k)) and lo + timedelta(days=k) not in stopped
        )
        return sign * days, self.provisional(a, b)


REF = Reference(OFFICIAL)


@given(start=DAYS, n=SMALL_N, stops=STOPS, roll=st.booleans())
def test_add_equals_the_day_by_day_reference(start, n, stops, roll):
    due = OFFICIAL.add_workdays(start, n, stops=stops, roll_nonworking_start=roll)
    assert (due.date, due.provisional) == REF.add(start, n, stops, roll)


@given(a=DAYS, b=DAYS, stops=STOPS)
def test_between_equals_the_day_by_day_reference(a, b, stops):
    count = OFFICIAL.workdays_between(a, b, stops=stops)
    assert (count.days, count.provisional) == REF.between(a, b, stops)


@settings(max_examples=150)
@given(cal=calendars(), start=DAYS, n=SMALL_N, stops=STOPS, roll=st.booleans())
def test_add_equals_the_reference_on_random_calendars(cal, start, n, stops, roll):
    due = cal.add_workdays(start, n, stops=stops, roll_nonworking_start=roll)
    assert (due.date, due.provisional) == Reference(cal).add(start, n, stops, roll)


@settings(max_examples=150)
@given(cal=calendars(), a=DAYS, b=DAYS, stops=STOPS)
def test_between_equals_the_reference_on_random_calendars(cal, a, b, stops):
    count = cal.workdays_between(a, b, stops=stops)
    assert (count.days, count.provisional) == Reference(cal).between(a, b, stops)


@given(start=DAYS, n=st.integers(min_value=1, max_value=400), stops=STOPS)
def test_between_undoes_add_without_roll(start, n, stops):
    due = OFFICIAL.add_workdays(start, n, stops=stops)
    assert OFFICIAL.workdays_between(start, due.date, stops=stops).days == n


@given(start=DAYS, n=st.integers(min_value=1, max_value=400))
def test_between_undoes_add_with_roll_from_the_rolled_start(start, n):
    due = OFFICIAL.add_workdays(start, n, roll_nonworking_start=True)
    rolled = OFFICIAL.add_workdays(start, 0, roll_nonworking_start=True).date
    assert OFFICIAL.workdays_between(rolled, due.date).days == n
    if OFFICIAL.is_workday(start):
        assert OFFICIAL.workdays_between(start, due.date).days == n


@given(start=DAYS, n=SMALL_N, stops=STOPS, roll=st.booleans())
def test_more_days_never_give_an_earlier_deadline(start, n, stops, roll):
    kw = {"stops": stops, "roll_nonworking_start": roll}
    assert (
        OFFICIAL.add_workdays(start, n + 1, **kw).date > OFFICIAL.add_workdays(start, n, **kw).date
    )


@given(start=DAYS, n=st.integers(min_value=1, max_value=80), stops=STOPS, roll=st.booleans())
def test_a_deadline_is_always_a_working_day_never_a_holiday(start, n, stops, roll):
    due = OFFICIAL.add_workdays(start, n, stops=stops, roll_nonworking_start=roll).date
    assert OFFICIAL.is_workday(due)
    assert OFFICIAL.holiday_name(due) is None


@given(day=st.sampled_from(sorted(OFFICIAL.makeup_workdays)))
def test_makeup_days_are_returned_and_counted(day):
    before = day - timedelta(days=1)
    previous = before
    while not OFFICIAL.is_workday(previous):
        previous -= timedelta(days=1)
    assert OFFICIAL.add_workdays(previous, 1).date == day
    assert OFFICIAL.workdays_between(before, day).days == 1


@given(day=st.sampled_from(sorted(OFFICIAL.holidays)))
def test_holidays_never_count(day):
    assert not OFFICIAL.is_workday(day)
    assert OFFICIAL.workdays_between(day - timedelta(days=1), day).days == 0


@given(start=DAYS, n=SMALL_N, stops=STOPS, roll=st.booleans())
def test_stops_never_make_a_deadline_earlier(start, n, stops, roll):
    with_stops = OFFICIAL.add_workdays(start, n, stops=stops, roll_nonworking_start=roll)
    without = OFFICIAL.add_workdays(start, n, roll_nonworking_start=roll)
    assert with_stops.date >= without.date


@given(a=DAYS, b=DAYS, stops=STOPS)
def test_between_is_antisymmetric(a, b, stops):
    assert (
        OFFICIAL.workdays_between(a, b, stops=stops).days
        == -OFFICIAL.workdays_between(b, a, stops=stops).days
    )


@given(start=DAYS, n=SMALL_N)
def test_provisional_exactly_when_an_unloaded_year_is_touched(start, n):
    due = OFFICIAL.add_workdays(start, n)
    assert due.provisional == any(
        y not in {2025, 2026} for y in range(start.year, due.date.year + 1)
    )
