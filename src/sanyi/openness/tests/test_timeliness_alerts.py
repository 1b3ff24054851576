"""Overdue alerts: records past their publish-by date and still not published alert the
disclosure officers of the responsible body, once per record and date; the timeliness
selector sorts every timed record into on time, late, overdue or pending."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanyi.notify.models import Message
from sanyi.openness import services
from sanyi.openness.selectors import (
    Timeliness,
    TimelinessFilters,
    publication_timeliness,
    publications_unpublished_past_due,
)
from sanyi.openness.tasks import publication_overdue_check
from sanyi.openness.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db

# 20 working days from Mon 5 Jan 2026 end on Mon 2 Feb 2026.
FORMED = dt.date(2026, 1, 5)
DUE = dt.date(2026, 2, 2)


def _messages(user):
    return list(Message.objects.filter(user=user, event=services.OVERDUE_EVENT))


def test_an_overdue_record_alerts_the_responsible_bodys_officers(org_tree):
    entry = f.entry(org_tree["sub1"])
    pub = f.draft(org_tree["sub1"], title="低保名单", directory_entry=entry, formed_on=FORMED)
    sub_officer, district_officer = org_tree["sub_writer"], org_tree["writer"]
    outsider = org_f.staff(org_tree["sub2"], Role.DISCLOSURE_OFFICER)

    count = services.publication_overdue_alert(today=DUE + dt.timedelta(days=1))

    assert count == 1
    (message,) = _messages(sub_officer)
    assert "低保名单" in message.subject
    assert "应在2026年02月02日前公开，已逾期1天" in message.body
    assert message.link.endswith(f"/workbench/open/publications/{pub.pk}/")
    assert len(_messages(district_officer)) == 1  # the district's officers cover sub1 too
    assert _messages(outsider) == []


def test_a_second_run_does_not_alert_again(org_tree):
    entry = f.entry(org_tree["sub1"])
    f.draft(org_tree["sub1"], directory_entry=entry, formed_on=FORMED)
    today = DUE + dt.timedelta(days=3)

    services.publication_overdue_alert(today=today)
    services.publication_overdue_alert(today=today + dt.timedelta(days=1))
    call_command("openness", "check-timeliness")

    assert len(_messages(org_tree["sub_writer"])) == 1


def test_a_new_formed_date_alerts_again_once_it_is_overdue(org_tree):
    entry = f.entry(org_tree["sub1"])
    pub = f.draft(
        org_tree["sub1"], actor=org_tree["sub_writer"], directory_entry=entry, formed_on=FORMED
    )
    services.publication_overdue_alert(today=DUE + dt.timedelta(days=1))

    services.publication_update(
        actor=org_tree["sub_writer"], publication=pub, formed_on=dt.date(2026, 3, 2)
    )
    services.publication_overdue_alert(today=dt.date(2026, 6, 1))

    assert len(_messages(org_tree["sub_writer"])) == 2


def test_nothing_is_alerted_on_the_due_date_or_for_published_records(org_tree):
    entry = f.entry(org_tree["district"])
    f.draft(org_tree["district"], directory_entry=entry, formed_on=FORMED)
    f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"],
        directory_entry=entry, formed_on=FORMED,
    )  # fmt: skip

    assert services.publication_overdue_alert(today=DUE) == 0
    assert publications_unpublished_past_due(today=DUE + dt.timedelta(days=1))
    services.publication_overdue_alert(today=DUE + dt.timedelta(days=1))
    assert len(_messages(org_tree["writer"])) == 1


def test_the_task_runs_the_check(org_tree):
    entry = f.entry(org_tree["district"])
    f.draft(org_tree["district"], directory_entry=entry, formed_on=dt.date(2025, 1, 6))

    result = publication_overdue_check.enqueue()

    assert result.return_value == 1
    assert len(_messages(org_tree["writer"])) == 1


def test_timeliness_sorts_records_into_four_states(org_tree):
    entry = f.entry(org_tree["district"])
    today = timezone.localdate()
    overdue = f.draft(org_tree["district"], directory_entry=entry, formed_on=FORMED)
    pending = f.draft(org_tree["district"], directory_entry=entry, formed_on=today)
    on_time = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"],
        directory_entry=entry, formed_on=today,
    )  # fmt: skip
    late = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"],
        directory_entry=entry, formed_on=FORMED,
    )  # fmt: skip
    f.draft(org_tree["district"], formed_on=FORMED)  # no directory entry: no time limit

    grouped = publication_timeliness(viewer=org_tree["writer"], today=today)

    rows = {r.publication.pk: r for r in grouped[("district", org_tree["district"])]}
    assert {pk: r.state for pk, r in rows.items()} == {
        overdue.pk: Timeliness.OVERDUE,
        pending.pk: Timeliness.PENDING,
        on_time.pk: Timeliness.ON_TIME,
        late.pk: Timeliness.LATE,
    }
    assert rows[late.pk].days_late == (today - DUE).days
    only = publication_timeliness(
        viewer=org_tree["writer"], today=today, filters=TimelinessFilters(state=Timeliness.LATE)
    )
    assert [r.publication.pk for rows in only.values() for r in rows] == [late.pk]
