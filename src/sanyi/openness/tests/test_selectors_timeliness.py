"""Publish-by dates on working days and the overdue list."""

import datetime as dt

import pytest
from django.utils import timezone

from sanyi.openness.choices import LimitUnit
from sanyi.openness.selectors import publication_overdue, publish_by
from sanyi.openness.tests import factories as f

pytestmark = pytest.mark.django_db


def test_twenty_working_days_skip_the_national_day_holiday(org_tree):
    entry = f.entry(org_tree["district"])

    # Formed on Wed 30 Sep 2026: 1-7 Oct are holidays and Sat 10 Oct is a make-up day,
    # so day 1 is 8 Oct, day 3 is Sat 10 Oct and day 20 is Tue 3 Nov.
    due = publish_by(entry, dt.date(2026, 9, 30))

    assert due.date == dt.date(2026, 11, 3)
    assert not due.provisional


def test_natural_days_count_every_day(org_tree):
    entry = f.entry(org_tree["district"], time_limit_days=7, time_limit_unit=LimitUnit.NATURAL_DAYS)

    assert publish_by(entry, dt.date(2026, 9, 30)).date == dt.date(2026, 10, 7)


def test_unpublished_record_past_its_date_is_overdue(org_tree):
    entry = f.entry(org_tree["district"])
    late = f.draft(org_tree["district"], directory_entry=entry, formed_on=dt.date(2026, 9, 30))
    f.draft(org_tree["district"], directory_entry=entry, formed_on=dt.date(2026, 10, 26))

    overdue = publication_overdue(viewer=org_tree["writer"], today=dt.date(2026, 11, 4))

    items = overdue[("district", org_tree["district"])]
    assert [i.publication.pk for i in items] == [late.pk]
    assert items[0].days_late == 1


def test_published_in_time_is_not_overdue_but_late_publishing_is(org_tree):
    entry = f.entry(org_tree["district"])
    in_time = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"],
        directory_entry=entry, formed_on=timezone.localdate() - dt.timedelta(days=1),
    )  # fmt: skip
    late = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"],
        directory_entry=entry, formed_on=timezone.localdate() - dt.timedelta(days=90),
    )  # fmt: skip

    overdue = publication_overdue(viewer=org_tree["writer"], today=timezone.localdate())

    pks = {i.publication.pk for items in overdue.values() for i in items}
    assert late.pk in pks and in_time.pk not in pks
    item = next(i for items in overdue.values() for i in items if i.publication.pk == late.pk)
    assert item.published_on == timezone.localdate()


def test_overdue_list_is_limited_to_the_viewers_units(org_tree):
    entry = f.entry(org_tree["district"])
    f.draft(org_tree["district"], directory_entry=entry, formed_on=dt.date(2026, 1, 5))

    assert publication_overdue(viewer=org_tree["sub_writer"], today=dt.date(2026, 12, 1)) == {}
