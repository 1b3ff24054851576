"""Every message to the applicant of a request names the request: what it is and its
number, in the subject the SMS and the e-mail carry."""

import datetime as dt

import pytest

from sanyi.calendar.tests.factories import official_calendar
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.tests import factories as f
from sanyi.notify.models import Message


@pytest.fixture
def org_tree(db):
    official_calendar()
    return f.setting()


def test_applicant_messages_name_the_request(org_tree):
    sub = f.online(org_tree["agency"], on=dt.date(2026, 11, 2))
    services.request_confirm(
        actor=org_tree["officer"], request=sub.request, on=dt.date(2026, 11, 3)
    )

    subjects = list(
        Message.objects.filter(applicant=sub.request.applicant).values_list("subject", flat=True)
    )

    title = f"政府信息公开申请（编号 {sub.request.number}）"
    assert sorted(subjects) == sorted(
        [f"{title}已提交", f"{title}已由{org_tree['agency'].name}收到"]
    )
