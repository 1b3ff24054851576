"""Working-day arithmetic: pure, fast, no database.

A working day is Monday to Friday, minus the statutory holidays, plus the make-up working
days (调休上班) of the State Council notice of each year. A ``WorkCalendar`` holds the
holidays and make-up days of the years whose notice is loaded; a year that is not loaded is
computed on weekdays only and every result that touches it is flagged ``provisional``.

Counting rules (STANDARDS.md §5; docs/calendar.md says the same in prose):

* The start day does not count; day 1 is the next working day after it.
  ``add_workdays(2026-09-21, 20)`` is 2026-10-26.
* ``roll_nonworking_start=True``: a start on a non-working day is treated as the next
  working day, so day 1 is the working day after that one. ``n=0`` returns the start,
  rolled if asked. ``n`` must not be negative.
* A clock stop ``(stopped_on, restarted_on)`` is half-open: the stop day itself still
  counts, every day after it up to and including the restart day does not, and counting
  resumes the day after the restart, as from a fresh start (the start-day roll applies to
  the start only; a restart day never counts anyway). ``restarted_on == stopped_on`` stops
  nothing. Stops may overlap, touch or come in any order; they are merged first.
* ``workdays_between(a, b)`` counts the working days in ``(a, b]`` that are not stopped.
  It is antisymmetric: when ``b < a`` it returns the negated count of ``(b, a]``, and 0
  when ``a == b``.
* ``provisional`` is True when any year from the start's year to the result's year (for
  ``workdays_between``, from the earlier to the later date) is not loaded.

Speed: counts are kept as a cumulative array over the loaded years, so a count is one
array lookup and a deadline one bisection; outside the loaded years a closed formula for
weekdays is used. Every call without stops is O(log n) in the number of days loaded.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["Count", "Deadline", "Stop", "WorkCalendar"]

Stop = tuple[date, date]


@dataclass(frozen=True, slots=True)
class Deadline:
    """A due date; ``provisional`` when it rests on a year whose notice is not loaded."""

    date: date
    provisional: bool


@dataclass(frozen=True, slots=True)
class Count:
    """A number of working days; ``provisional`` as for ``Deadline``."""

    days: int
    provisional: bool


def _weekdays_through(o: int) -> int:
    """Mondays to Fridays among the ordinals 1..o (ordinal 1, 0001-01-01, is a Monday)."""
    q, r = divmod(o, 7)
    return 5 * q + (r if r < 5 else 5)


def _first_ordinal_with_weekdays(t: int) -> int:
    """The smallest ordinal o with ``_weekdays_through(o) >= t``."""
    q, r = divmod(t, 5)
    return 7 * q - 2 if r == 0 else 7 * q + r


def _as_named(days: Mapping[date, str] | Iterable[date]) -> dict[date, str]:
    if isinstance(days, Mapping):
        return {_check_date(d, "节假日"): str(name) for d, name in days.items()}
    return {_check_date(d, "节假日"): "" for d in days}


def _check_date(value: object, what: str) -> date:
    # datetime is a date subclass; a datetime here is almost always a timezone bug upstream.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{what}应为日期（date），收到的是{type(value).__name__}")
    return value


def _from_ordinal(o: int) -> date:
    try:
        return date.fromordinal(o)
    except (ValueError, OverflowError):
        raise ValueError("计算结果超出可表示的日期范围（公元1年至9999年）") from None


class WorkCalendar:
    """An immutable working-day calendar. Build one per set of notices and share it."""

    __slots__ = (
        "_cum",
        "_deadlines",
        "_hi",
        "_holidays",
        "_lo",
        "_makeup",
        "_run_end",
        "_span",
        "_unloaded_prefix",
        "_years",
    )

    def __init__(
        self,
        holidays: Mapping[date, str] | Iterable[date],
        makeup_workdays: Mapping[date, str] | Iterable[date],
        loaded_years: Iterable[int],
    ) -> None:
        self._holidays = _as_named(holidays)
        self._makeup = _as_named(makeup_workdays)
        self._years = frozenset(int(y) for y in loaded_years)
        both = sorted(set(self._holidays) & set(self._makeup))
        if both:
            raise ValueError(f"{both[0].isoformat()}不能既是节假日又是调休上班日")
        stray = sorted(d for d in (*self._holidays, *self._makeup) if d.year not in self._years)
        if stray:
            raise ValueError(f"{stray[0].isoformat()}所在的{stray[0].year}年未列为已载入年份")

        if self._years:
            self._lo = date(min(self._years), 1, 1).toordinal()
            self._hi = date(max(self._years), 12, 31).toordinal()
        else:
            self._lo, self._hi = 1, 0
        self._span = self._hi - self._lo + 1
        # _cum[i]: working days among the ordinals lo..lo+i. Strictly increasing on
        # working days, flat on the others, so bisect_left finds the first day reaching a
        # count and that day is always a working day.
        cum: list[int] = []
        unloaded = [0]
        running = 0
        for i in range(self._span):
            d = date.fromordinal(self._lo + i)
            if self._is_workday_slow(d):
                running += 1
            cum.append(running)
            unloaded.append(unloaded[-1] + (d.year not in self._years))
        self._cum = cum
        self._unloaded_prefix = unloaded
        # Deadlines inside the loaded years recur; sharing the instances keeps the hot path
        # free of object construction.
        self._deadlines = [
            Deadline(date.fromordinal(self._lo + i), False) for i in range(self._span)
        ]
        # For a loaded year, the last year of the unbroken run of loaded years it starts.
        run_end: dict[int, int] = {}
        for y in sorted(self._years, reverse=True):
            run_end[y] = run_end.get(y + 1, y)
        self._run_end = run_end

    # -- what a day is -----------------------------------------------------------------

    def _is_workday_slow(self, d: date) -> bool:
        return d in self._makeup or (d.weekday() < 5 and d not in self._holidays)

    def is_workday(self, d: date) -> bool:
        _check_date(d, "日期")
        return self._is_workday_slow(d)

    def is_provisional(self, d: date) -> bool:
        """True when ``d``'s year is not loaded, so ``d`` is judged on weekdays only."""
        return d.year not in self._years

    def holiday_name(self, d: date) -> str | None:
        """The holiday's name (e.g. 春节) when ``d`` is a statutory holiday, else None."""
        return self._holidays.get(d)

    def makeup_workday_name(self, d: date) -> str | None:
        """The holiday a make-up working day belongs to when ``d`` is one, else None."""
        return self._makeup.get(d)

    @property
    def loaded_years(self) -> frozenset[int]:
        return self._years

    @property
    def holidays(self) -> Mapping[date, str]:
        return dict(self._holidays)

    @property
    def makeup_workdays(self) -> Mapping[date, str]:
        return dict(self._makeup)

    # -- counting ------------------------------------------------------------------------

    def _count_through(self, o: int) -> int:
        """Working days among the ordinals lo..o, negative before lo (a running total)."""
        i = o - self._lo
        if i < 0:
            return _weekdays_through(o) - _weekdays_through(self._lo - 1)
        if i < self._span:
            return self._cum[i]
        last = self._cum[-1] if self._span else 0
        return last + _weekdays_through(o) - _weekdays_through(self._hi)

    def _first_reaching(self, t: int, after: int) -> int:
        """The smallest ordinal o > after whose running total reaches ``t``."""
        i = after + 1 - self._lo
        if i < 0:
            o = _first_ordinal_with_weekdays(t + _weekdays_through(self._lo - 1))
            if o < self._lo:
                return o
            i = 0
        if i < self._span:
            j = bisect_left(self._cum, t, i)
            if j < self._span:
                return self._lo + j
        last = self._cum[-1] if self._span else 0
        return _first_ordinal_with_weekdays(t - last + _weekdays_through(self._hi))

    def _covers(self, first: int, last: int) -> bool:
        """Whether every year from ``first`` to ``last`` is loaded."""
        end = self._run_end.get(first)
        return end is not None and end >= last

    def _next_workday_ordinal(self, o: int) -> int:
        return self._first_reaching(self._count_through(o) + 1, o)

    @staticmethod
    def _excluded_ranges(stops: Sequence[Stop]) -> list[tuple[int, int]]:
        """The stopped days as sorted, merged, inclusive ordinal ranges."""
        ranges = []
        for k, stop in enumerate(stops, start=1):
            try:
                stopped_on, restarted_on = stop
            except (TypeError, ValueError):
                raise ValueError(f"第{k}个计时暂停应为（暂停日期, 恢复日期）两个日期") from None
            _check_date(stopped_on, f"第{k}个计时暂停的暂停日期")
            _check_date(restarted_on, f"第{k}个计时暂停的恢复日期")
            if restarted_on < stopped_on:
                raise ValueError(
                    f"第{k}个计时暂停：恢复日期{restarted_on.isoformat()}"
                    f"早于暂停日期{stopped_on.isoformat()}"
                )
            if restarted_on > stopped_on:
                ranges.append((stopped_on.toordinal() + 1, restarted_on.toordinal()))
        ranges.sort()
        merged: list[tuple[int, int]] = []
        for x, y in ranges:
            if merged and x <= merged[-1][1] + 1:
                if y > merged[-1][1]:
                    merged[-1] = (merged[-1][0], y)
            else:
                merged.append((x, y))
        return merged

    def add_workdays(
        self,
        start: date,
        n: int,
        *,
        stops: Sequence[Stop] = (),
        roll_nonworking_start: bool = False,
    ) -> Deadline:
        """The ``n``-th working day after ``start``, not counting stopped days."""
        if type(start) is not date:
            _check_date(start, "起算日期")
        if type(n) is not int:
            raise TypeError(f"工作日数应为整数，收到的是{type(n).__name__}")
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        s = start.toordinal()
        if roll_nonworking_start and not self._is_workday_slow(start):
            s = self._next_workday_ordinal(s)
        if not stops:
            # The hot path: one bisection in the table, no object built.
            i = s - self._lo
            if 0 <= i < self._span:
                j = bisect_left(self._cum, self._cum[i] + n, i)
                if j < self._span:
                    if self._unloaded_prefix[j + 1] == self._unloaded_prefix[i] and (
                        start.year in self._years
                    ):
                        return self._deadlines[j]
                    return self._deadline(start, self._lo + j)
            if n == 0:
                return self._deadline(start, s)
            return self._deadline(start, self._first_reaching(self._count_through(s) + n, s))
        if n == 0:
            return self._deadline(start, s)
        cur, remaining = s, n
        for x, y in self._excluded_ranges(stops):
            if y <= cur:
                continue
            if x <= cur:
                cur = y
                continue
            available = self._count_through(x - 1) - self._count_through(cur)
            if available >= remaining:
                break
            remaining -= available
            cur = y
        return self._deadline(
            start, self._first_reaching(self._count_through(cur) + remaining, cur)
        )

    def _deadline(self, start: date, o: int) -> Deadline:
        due = _from_ordinal(o)
        return Deadline(due, not self._covers(start.year, due.year))

    def workdays_between(self, a: date, b: date, *, stops: Sequence[Stop] = ()) -> Count:
        """Working days in ``(a, b]`` not stopped; negated when ``b < a``, 0 when equal."""
        _check_date(a, "开始日期")
        _check_date(b, "结束日期")
        if b < a:
            forward = self.workdays_between(b, a, stops=stops)
            return Count(-forward.days, forward.provisional)
        lo, hi = a.toordinal(), b.toordinal()
        days = self._count_through(hi) - self._count_through(lo)
        for x, y in self._excluded_ranges(stops):
            x, y = max(x, lo + 1), min(y, hi)
            if x <= y:
                days -= self._count_through(y) - self._count_through(x - 1)
        return Count(days, not self._covers(a.year, b.year))
