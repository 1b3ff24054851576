"""``calendar_changed``: sent once the calendar's days have changed and the change is committed.

Later apps (cases, disclosure requests) connect to it to recompute the deadlines of their
open work in the years named and to record, on each piece of work, that its deadline moved
because of the change. Keyword arguments:

* ``years`` (set[int]): the years whose holidays or make-up working days changed;
* ``actor``: who changed them (a staff User, or a label such as "系统：命令行");
* ``change`` (CalendarChange): the change record, to cite in what the receiver records.

It is sent with ``send_robust`` after commit: a receiver that raises is logged and does not
stop the others or undo the change. Receivers should be quick, e.g. enqueue a task that
does the recomputing, and that task should read the calendar through
``calendar.selectors.current_calendar()``, which already reflects the change.
It is not sent when only a notice's title, number or notes change.
"""

from django.dispatch import Signal

calendar_changed = Signal()
