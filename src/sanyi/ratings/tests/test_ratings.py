import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.tests import factories as applicant_factories
from sanyi.cases.choices import EventKind
from sanyi.cases.models import Case
from sanyi.notify.models import Message
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories
from sanyi.ratings import services
from sanyi.ratings.choices import AppealStatus, RectificationStatus
from sanyi.ratings.models import Rating
from sanyi.ratings.selectors import is_overdue, rating_stats, rating_totals

pytestmark = pytest.mark.django_db
_n = iter(range(1, 10_000))


def make_case(world, *, status="delivered", applicant=None, concluded_on=dt.date(2026, 9, 18)):
    n = next(_n)
    return Case.objects.create(
        number=f"RATE-{n:05d}",
        applicant=applicant or applicant_factories.person(),
        implementation_item=world["version"].implementation_item,
        item_version=world["version"],
        channel="window",
        status=status,
        unit=world["comm1"],
        current_unit=world["dept"],
        window=world["window"],
        concluded_on=concluded_on,
    )


def rate(case, level, on=dt.date(2026, 9, 30), channel="online", **kw):
    return services.rating_submit(
        case=case, level=level, channel=channel, actor=case.applicant.audit_label, on=on, **kw
    )


def test_one_rating_per_concluded_case_with_valid_criteria(world):
    case = make_case(world)
    rating = rate(case, 5, criteria={"efficiency": 5, "platform": "4"}, comment=" 很好 ")
    assert rating.criteria == {"efficiency": 5, "platform": 4} and rating.comment == "很好"
    assert rating.unit == world["comm1"] and rating.handling_unit == world["dept"]
    assert case.events.filter(kind=EventKind.RATED).count() == 1
    with pytest.raises(ValidationError, match="只能评价一次"):
        rate(case, 4)
    with pytest.raises(ValidationError) as exc:
        rate(make_case(world), 6, criteria={"attitude": 5, "efficiency": 9})
    assert set(exc.value.message_dict) == {"level", "efficiency", "criteria"}
    with pytest.raises(ValidationError, match="办结后才能评价"):
        rate(make_case(world, status="in_progress"), 5)
    # offline criteria differ from online ones
    offline = rate(make_case(world), 4, channel="offline", criteria={"attitude": 3})
    assert offline.criteria == {"attitude": 3}


def test_bad_rating_opens_rectification_due_in_five_working_days(world):
    # Rated on Wednesday 2026-09-30: National Day 10/1-10/7 is off and Saturday 10/10 works,
    # so the five working days are 10/8, 10/9, 10/10, 10/12 and 10/13.
    rating = rate(make_case(world), 2, on=dt.date(2026, 9, 30))
    rectification = rating.rectification
    assert rectification.due_on == dt.date(2026, 10, 13)
    assert rectification.unit == world["dept"] and rectification.status == "open"
    subjects = list(Message.objects.values_list("subject", flat=True))
    item = rating.case.implementation_item.base_item.name
    assert any(rating.case.short_number in s and item in s for s in subjects)
    rate(make_case(world), 3)
    assert not Rating.objects.filter(level=3, rectification__isnull=False).exists()


@pytest.mark.parametrize("days, due", [(5, dt.date(2026, 10, 13)), (10, dt.date(2026, 10, 20))])
def test_rectification_days_are_a_setting(world, settings, days, due):
    settings.SANYI_RECTIFICATION_DAYS = days
    assert rate(make_case(world), 1).rectification.due_on == due


def test_return_visit_then_completion_by_unit_staff_only(world):
    rectification = rate(make_case(world), 1).rectification
    outsider = org_factories.staff(world["sub1"], Role.APPROVER)
    with pytest.raises(PermissionDenied):
        services.rectification_return_visit(
            rectification=rectification, result="satisfied", note="x", actor=outsider
        )
    with pytest.raises(ValidationError, match="请先回访"):
        services.rectification_complete(
            rectification=rectification, measures="改进", actor=world["approver"]
        )
    with pytest.raises(ValidationError) as exc:
        services.rectification_return_visit(
            rectification=rectification, result="maybe", note=" ", actor=world["approver"]
        )
    assert set(exc.value.message_dict) == {"result", "note"}
    services.rectification_return_visit(
        rectification=rectification,
        result="satisfied",
        note="电话回访",
        actor=world["approver"],
        on=dt.date(2026, 10, 9),
    )
    done = services.rectification_complete(
        rectification=rectification,
        measures="增设引导员",
        actor=world["approver"],
        on=dt.date(2026, 10, 14),
    )
    assert done.status == RectificationStatus.DONE
    assert is_overdue(done)  # finished a day after its deadline of 10/13


def test_appeal_decided_by_another_supervisor_excludes_rating(world):
    rating = rate(make_case(world), 1)
    appeal = services.appeal_file(rating=rating, reason="误评，有监控为证", actor=world["approver"])
    with pytest.raises(ValidationError, match="正在复核"):
        services.appeal_file(rating=rating, reason="再次申诉", actor=world["approver2"])
    with pytest.raises(PermissionDenied):
        services.appeal_decide(appeal=appeal, upheld=True, note="同意", actor=world["approver2"])
    with pytest.raises(ValidationError, match="只有差评"):
        services.appeal_file(rating=rate(make_case(world), 5), reason="x", actor=world["approver"])
    services.appeal_decide(appeal=appeal, upheld=True, note="属实", actor=world["supervisor"])
    rating.refresh_from_db()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and rating.excluded
    assert rating.rectification.status == RectificationStatus.CANCELLED
    assert [r.count for r in rating_stats(by="unit")] == [1]  # only the 5 counts


def test_stats_per_unit_item_and_window(world):
    for level in (5, 5, 4, 3, 2, 1):
        rate(make_case(world), level, channel="offline")
    rectification = Rating.objects.get(level=2).rectification
    services.rectification_return_visit(
        rectification=rectification, result="satisfied", note="回访", actor=world["approver"]
    )
    services.rectification_complete(
        rectification=rectification, measures="整改", actor=world["approver"]
    )
    for by in ("unit", "handling_unit", "item", "window"):
        (row,) = rating_stats(by=by)
        assert (row.count, row.average, row.satisfied, row.bad, row.rectified) == (
            6,
            3.33,
            3,
            2,
            1,
        )
        assert row.by_level == {5: 2, 4: 1, 3: 1, 2: 1, 1: 1}
    assert rating_stats(by="unit", start=dt.date(2026, 10, 1)) == []
    total = rating_totals(rating_stats(by="item"))
    assert total.count == 6 and total.rectified_rate == 0.5


def test_applicant_rates_own_case_online(world, client):
    applicant = applicant_factories.person()
    case = make_case(world, applicant=applicant)
    url = reverse("ratings:rate", args=[case.number])
    assert client.get(url).status_code == 302  # sign-in first
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()
    other = make_case(world)
    assert client.get(reverse("ratings:rate", args=[other.number])).status_code == 404
    page = client.post(url, {"level": ""})
    assert page.status_code == 400 and "请选择总体评价" in page.content.decode()
    assert client.post(url, {"level": "2", "efficiency": "1", "comment": "太慢"}).status_code == 302
    rating = Rating.objects.get(case=case)
    assert rating.channel == "online" and rating.criteria == {"efficiency": 1}
    assert "感谢您的评价" in client.get(url).content.decode()


def test_rating_pad_at_window_and_staff_pages(world, client, django_assert_max_num_queries):
    case = make_case(world)
    clerk = org_factories.staff(world["comm1"], Role.WINDOW_CLERK)
    client.force_login(clerk)
    pad = reverse("workbench:ratings:pad", args=[case.number])
    assert client.post(pad, {"level": "1", "attitude": "1"}).status_code == 302
    rating = Rating.objects.get(case=case)
    assert rating.channel == "offline" and rating.window == world["window"]

    client.force_login(world["approver"])
    with django_assert_max_num_queries(15):
        home = client.get(reverse("workbench:ratings:home"))
    assert case.number in home.content.decode()
    detail_url = reverse("workbench:ratings:rectification", args=[rating.rectification.pk])
    action = reverse(
        "workbench:ratings:rectification_action", args=[rating.rectification.pk, "complete"]
    )
    page = client.post(action, {"measures": "改进"})
    assert page.status_code == 400 and "请先回访" in page.content.decode()
    visit = reverse(
        "workbench:ratings:rectification_action", args=[rating.rectification.pk, "visit"]
    )
    assert client.post(visit, {"result": "satisfied", "note": "电话回访"}).status_code == 302
    assert client.post(action, {"measures": "增设引导员"}).status_code == 302
    assert "增设引导员" in client.get(detail_url).content.decode()
    # published on the public page, without personal data
    public = client.get(reverse("ratings:stats")).content.decode()
    assert "增设引导员" in public and case.applicant.name not in public
    assert client.get(reverse("workbench:ratings:stats")).status_code == 200
    # another subdistrict's approver sees nothing of it
    client.force_login(org_factories.staff(world["sub2"], Role.APPROVER))
    assert client.get(detail_url).status_code == 404
