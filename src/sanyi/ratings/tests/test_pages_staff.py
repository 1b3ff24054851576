"""Staff pages of ratings: who sees what, every follow-up action through the page, and
list pages whose query count does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanyi.audit.models import AuditEvent
from sanyi.core.tests.error_summary import assert_error_summary
from sanyi.ratings.choices import AppealStatus, RectificationStatus
from sanyi.ratings.models import Rating, RatingAppeal
from sanyi.ratings.tests import factories as f

pytestmark = pytest.mark.django_db

HOME = reverse("workbench:ratings:home")
LIST = reverse("workbench:ratings:list")
STATS = reverse("workbench:ratings:stats")


def _detail(rectification):
    return reverse("workbench:ratings:rectification", args=[rectification.pk])


def _action(rectification, action):
    return reverse("workbench:ratings:rectification_action", args=[rectification.pk, action])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


# --- who may read -----------------------------------------------------------------------


@pytest.mark.parametrize("url", [HOME, LIST, STATS])
def test_staff_without_a_ratings_role_are_refused(world, client, url):
    client.force_login(world["nobody"])

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [HOME, LIST, STATS])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", [HOME, LIST, STATS])
def test_every_role_that_reads_ratings_gets_the_pages(world, client, url):
    for who in ("clerk", "approver", "supervisor"):
        client.force_login(world[who])
        assert client.get(url).status_code == 200, who


def test_the_list_shows_only_ratings_in_scope(world, client):
    rating = f.rated(world, 4)

    client.force_login(world["clerk"])
    assert rating.case.number in client.get(LIST).content.decode()
    client.force_login(world["outsider"])
    assert rating.case.number not in client.get(LIST).content.decode()


def test_the_list_filters_by_level_and_case_number(world, client):
    good, poor = f.rated(world, 5), f.rated(world, 1)
    client.force_login(world["approver"])

    by_level = client.get(LIST, {"level": "1"}).content.decode()
    by_number = client.get(LIST, {"q": good.case.number[-3:]}).content.decode()
    ignored = client.get(LIST, {"level": "9"}).content.decode()

    assert poor.case.number in by_level and good.case.number not in by_level
    assert good.case.number in by_number and poor.case.number not in by_number
    assert good.case.number in ignored and poor.case.number in ignored


def test_the_list_marks_excluded_ratings(world, client):
    appeal = f.decided(world, upheld=True)
    client.force_login(world["approver"])

    assert "（不计入）" in client.get(LIST).content.decode()
    assert appeal.rating.case.number in client.get(LIST).content.decode()


def test_the_staff_statistics_count_only_ratings_in_scope(world, client):
    f.rated(world, 5)
    client.force_login(world["outsider"])

    page = client.get(STATS).content.decode()

    assert "这段时间还没有评价" in page


def test_the_home_page_lists_rectifications_by_status(world, client):
    open_ = f.bad(world)
    done = f.rectified(world)
    client.force_login(world["approver"])

    default = client.get(HOME).content.decode()
    finished = client.get(HOME, {"status": "done"}).content.decode()
    nonsense = client.get(HOME, {"status": "nonsense"}).content.decode()

    assert open_.rating.case.number in default and done.rating.case.number not in default
    assert done.rating.case.number in finished and open_.rating.case.number not in finished
    assert open_.rating.case.number in nonsense  # an unknown status falls back to open


def test_the_home_page_flags_overdue_rectifications(world, client):
    f.bad(world)  # due 2026-10-13, in the past by now
    client.force_login(world["approver"])

    assert "超期" in client.get(HOME).content.decode()


def test_the_home_page_shows_pending_appeals_to_supervisors_only(world, client):
    appeal = f.appealed(world)

    client.force_login(world["supervisor"])
    assert "待您复核的申诉" in client.get(HOME).content.decode()
    client.force_login(world["approver"])
    assert "待您复核的申诉" not in client.get(HOME).content.decode()
    assert appeal.status == AppealStatus.PENDING


# --- query counts -----------------------------------------------------------------------


def test_the_home_page_queries_do_not_grow_with_rectifications_and_appeals(
    world, client, django_assert_max_num_queries
):
    f.appealed(world)
    client.force_login(world["supervisor"])
    few = _queries(client, HOME)
    for _ in range(6):
        f.appealed(world)

    with django_assert_max_num_queries(few):
        page = client.get(HOME)

    assert page.content.decode().count("RATE-") >= 14  # 7 in the worklist, 7 appeals


def test_the_rating_list_queries_do_not_grow_with_ratings(
    world, client, django_assert_max_num_queries
):
    f.rated(world, 5, channel="offline")
    client.force_login(world["approver"])
    few = _queries(client, LIST)
    for level in (1, 2, 3, 4, 5, 4):
        f.rated(world, level, channel="offline")

    with django_assert_max_num_queries(few):
        page = client.get(LIST)

    assert page.content.decode().count("号窗口") == 7


def test_the_staff_statistics_page_has_bounded_queries(
    world, client, django_assert_max_num_queries
):
    for level in (5, 4, 3, 2, 1):
        f.rated(world, level)
    client.force_login(world["approver"])

    with django_assert_max_num_queries(12):
        client.get(STATS, {"by": "window"})


def test_the_detail_page_has_bounded_queries(world, client, django_assert_max_num_queries):
    appeal = f.appealed(world)
    client.force_login(world["supervisor2"])

    with django_assert_max_num_queries(20):
        page = client.get(_detail(appeal.rating.rectification))

    assert "复核申诉" in page.content.decode()


# --- the detail page and its actions ------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk", "outsider", "nobody"])
def test_the_detail_page_is_hidden_outside_the_follow_up_scope(world, client, who):
    rectification = f.bad(world)
    client.force_login(world[who])

    assert client.get(_detail(rectification)).status_code == 404
    assert client.post(_action(rectification, "visit"), {}).status_code == 404


def test_the_unit_sees_the_follow_up_forms_while_open(world, client):
    rectification = f.bad(world)
    client.force_login(world["approver"])

    page = client.get(_detail(rectification)).content.decode()

    assert "回访评价人" in page and "填写整改结果" in page and "提出申诉" in page
    assert "复核申诉" not in page


def test_a_finished_rectification_shows_no_forms(world, client):
    rectification = f.rectified(world)
    client.force_login(world["approver"])

    page = client.get(_detail(rectification)).content.decode()

    assert "回访评价人" not in page and "增设引导员" in page


def test_the_detail_page_shows_the_rater_masked(world, client):
    rectification = f.bad(world)
    applicant = rectification.rating.applicant
    client.force_login(world["approver"])

    page = client.get(_detail(rectification)).content.decode()

    assert applicant.display_name in page and applicant.masked_phone in page
    assert applicant.name not in page and applicant.phone not in page
    assert applicant.id_number not in page


def test_the_unit_records_a_visit_and_completes_through_the_page(world, client):
    rectification = f.bad(world)
    client.force_login(world["approver"])

    visit = client.post(_action(rectification, "visit"), {"result": "satisfied", "note": "电话"})
    done = client.post(_action(rectification, "complete"), {"measures": "增设引导员"})

    assert visit.status_code == 302 and done.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.DONE
    assert rectification.completed_by == world["approver"]
    actors = set(
        AuditEvent.objects.filter(
            action__in=["ratings.return_visit", "ratings.rectification_done"]
        ).values_list("actor", flat=True)
    )
    assert actors == {world["approver"].pk}


def test_a_form_error_is_shown_on_the_page_and_nothing_is_saved(world, client):
    rectification = f.bad(world)
    client.force_login(world["approver"])

    page = client.post(_action(rectification, "visit"), {"result": "satisfied", "note": ""})

    assert page.status_code == 400 and "回访记录" in page.content.decode()
    assert_error_summary(page, {"id_note": "回访记录"})
    rectification.refresh_from_db()
    assert rectification.return_visit_result == ""


def test_a_service_refusal_is_shown_on_the_page(world, client):
    rectification = f.bad(world)
    client.force_login(world["approver"])

    page = client.post(_action(rectification, "complete"), {"measures": "改进"})

    assert page.status_code == 400 and "请先回访" in page.content.decode()


def test_an_unknown_action_is_refused(world, client):
    rectification = f.bad(world)
    client.force_login(world["approver"])

    assert client.post(_action(rectification, "delete"), {}).status_code == 403


def test_actions_take_only_post(world, client):
    rectification = f.bad(world)
    client.force_login(world["approver"])

    assert client.get(_action(rectification, "visit")).status_code == 405


def test_an_appeal_is_filed_and_decided_by_another_supervisor_through_the_page(world, client):
    rectification = f.bad(world)
    client.force_login(world["supervisor"])
    filed = client.post(_action(rectification, "appeal"), {"reason": "恶意差评"})
    own = client.get(_detail(rectification)).content.decode()

    client.force_login(world["supervisor2"])
    decided = client.post(_action(rectification, "decide"), {"upheld": "1", "note": "属实"})

    assert filed.status_code == 302 and decided.status_code == 302
    assert "保存复核意见" not in own  # the filer is not offered the decision
    appeal = RatingAppeal.objects.get(rating=rectification.rating)
    assert (appeal.filed_by, appeal.decided_by) == (world["supervisor"], world["supervisor2"])
    assert Rating.objects.get(pk=rectification.rating.pk).excluded


def test_the_filer_posting_a_decision_is_refused(world, client):
    appeal = f.appealed(world, actor=world["supervisor"])
    client.force_login(world["supervisor"])

    response = client.post(
        _action(appeal.rating.rectification, "decide"), {"upheld": "1", "note": "同意"}
    )

    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_an_approver_posting_a_decision_is_refused(world, client):
    appeal = f.appealed(world)
    client.force_login(world["approver2"])

    response = client.post(
        _action(appeal.rating.rectification, "decide"), {"upheld": "1", "note": "同意"}
    )

    assert response.status_code == 403


def test_deciding_without_a_pending_appeal_is_not_found(world, client):
    rectification = f.bad(world)
    client.force_login(world["supervisor"])

    response = client.post(_action(rectification, "decide"), {"upheld": "0", "note": "无"})

    assert response.status_code == 404


# --- the rating pad at a window -----------------------------------------------------------


def test_the_clerk_opens_the_pad_and_the_applicant_rates_at_the_window(world, client):
    case = f.case(world)
    client.force_login(world["clerk"])
    pad = reverse("workbench:ratings:pad", args=[case.number])

    form = client.get(pad)
    posted = client.post(pad, {"level": "1", "attitude": "1"})
    after = client.get(pad)

    assert form.status_code == 200 and "服务态度" in form.content.decode()
    assert posted.status_code == 302
    rating = Rating.objects.get(case=case)
    assert (rating.channel, rating.window, rating.criteria) == (
        "offline",
        world["window"],
        {"attitude": 1},
    )
    row = AuditEvent.objects.get(action="ratings.submit", object_id=str(rating.pk))
    assert row.actor is None and row.actor_label.endswith("（窗口评价器）")
    assert "提交评价" not in after.content.decode()


def test_the_pad_refuses_a_case_not_yet_concluded(world, client):
    case = f.case(world, status="in_progress")
    client.force_login(world["clerk"])

    response = client.get(reverse("workbench:ratings:pad", args=[case.number]))

    assert response.status_code == 409 and "还在办理中" in response.content.decode()


@pytest.mark.parametrize("who", ["approver", "outsider", "nobody"])
def test_the_pad_is_only_for_clerks_of_the_accepting_unit(world, client, who):
    case = f.case(world)
    client.force_login(world[who])

    assert client.get(reverse("workbench:ratings:pad", args=[case.number])).status_code == 404


def test_the_pad_shows_a_field_error_without_saving(world, client):
    case = f.case(world)
    client.force_login(world["clerk"])

    page = client.post(reverse("workbench:ratings:pad", args=[case.number]), {"level": ""})

    assert page.status_code == 400 and "请选择总体评价" in page.content.decode()
    assert not Rating.objects.filter(case=case).exists()
