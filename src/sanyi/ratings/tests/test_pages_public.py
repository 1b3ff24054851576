"""Public pages of ratings: the applicant rates their own case, and /ratings/ publishes the
statistics and finished rectifications without anything personal."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.tests import factories as applicant_f
from sanyi.ratings import services
from sanyi.ratings.models import Rating
from sanyi.ratings.tests import factories as f

pytestmark = pytest.mark.django_db
STATS = reverse("ratings:stats")


def _sign_in(client, applicant):
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()


def _rate_url(case):
    return reverse("ratings:rate", args=[case.number])


# --- rating one's own case ---------------------------------------------------------------


def test_rating_needs_the_applicant_signed_in(world, client):
    case = f.case(world)

    response = client.get(_rate_url(case))

    assert response.status_code == 302


def test_an_applicant_cannot_open_someone_elses_case(world, client):
    _sign_in(client, applicant_f.person())

    assert client.get(_rate_url(f.case(world))).status_code == 404


def test_an_applicant_rates_their_own_case_once(world, client):
    applicant = applicant_f.person()
    case = f.case(world, applicant=applicant)
    _sign_in(client, applicant)

    posted = client.post(_rate_url(case), {"level": "2", "efficiency": "1", "comment": "太慢"})
    again = client.post(_rate_url(case), {"level": "5"})

    assert posted.status_code == 302
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.channel, rating.criteria) == (2, "online", {"efficiency": 1})
    assert again.status_code == 200 and "感谢您的评价" in again.content.decode()
    assert "前回访您并整改" in again.content.decode()  # a bad rating promises a follow-up
    assert Rating.objects.get(case=case).level == 2


def test_a_case_still_in_progress_cannot_be_rated_online(world, client):
    applicant = applicant_f.person()
    case = f.case(world, applicant=applicant, status="in_progress")
    _sign_in(client, applicant)

    response = client.post(_rate_url(case), {"level": "5"})

    assert response.status_code == 409
    assert not Rating.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    "data, message",
    [({"level": ""}, "请选择总体评价"), ({"level": "5", "efficiency": "9"}, "efficiency")],
)
def test_an_invalid_rating_form_is_shown_again_with_errors(world, client, data, message):
    applicant = applicant_f.person()
    case = f.case(world, applicant=applicant)
    _sign_in(client, applicant)

    page = client.post(_rate_url(case), data)

    assert page.status_code == 400
    assert not Rating.objects.filter(case=case).exists()


def test_the_online_form_offers_the_online_criteria(world, client):
    applicant = applicant_f.person()
    case = f.case(world, applicant=applicant)
    _sign_in(client, applicant)

    page = client.get(_rate_url(case)).content.decode()

    assert "平台好用程度" in page and "服务态度" not in page


# --- the published statistics ---------------------------------------------------------


def test_the_public_page_is_open_to_everyone(client):
    page = client.get(STATS)

    assert page.status_code == 200 and "这段时间还没有评价" in page.content.decode()


def test_the_public_page_counts_ratings_and_leaves_out_upheld_appeals(world, client):
    f.rated(world, 5)
    f.rated(world, 4)
    f.decided(world, upheld=True)  # a 1 taken out

    page = client.get(STATS, {"start": "2026-01-01", "end": "2026-12-31"}).content.decode()

    assert world["comm1"].name in page
    assert "非常满意" in page and "100%" in page  # two of two satisfied


def test_the_public_page_ignores_a_bad_filter(world, client):
    f.rated(world, 5)

    page = client.get(STATS, {"by": "applicant", "start": "not-a-date"})

    assert page.status_code == 200


@pytest.mark.parametrize("by", ["unit", "handling_unit", "item", "window"])
def test_the_public_page_groups_as_asked(world, client, by):
    f.rated(world, 5)

    page = client.get(STATS, {"by": by, "start": "2026-01-01"}).content.decode()

    label = {
        "unit": world["comm1"].name,
        "handling_unit": world["dept"].name,
        "item": world["version"].implementation_item.base_item.name,
        "window": world["window"].name,
    }[by]
    assert label in page


def test_the_public_page_has_bounded_queries(world, client, django_assert_max_num_queries):
    for _ in range(5):
        f.rectified(world)

    with django_assert_max_num_queries(8):
        page = client.get(STATS, {"start": "2026-01-01"})

    assert page.content.decode().count("增设引导员") == 5


# --- nothing personal leaks -------------------------------------------------------------


def _personal_strings(world, rectification, appeal):
    rating = rectification.rating
    applicant = rating.applicant
    strings = [
        applicant.name,
        applicant.id_number,
        applicant.masked_id,
        applicant.phone,
        rating.case.number,
        rating.comment,
        rectification.return_visit_note,
        appeal.reason,
        appeal.decision_note,
        world["approver"].username,
        world["approver"].full_name,
        world["supervisor"].username,
    ]
    assert all(strings), [n for n, s in enumerate(strings) if not s]
    return strings


def test_the_public_page_shows_no_rater_comment_visit_or_staff(world, client):
    applicant = applicant_f.person(name="欧阳秘密")
    case = f.case(world, applicant=applicant)
    rectification = f.bad(world, case_=case, comment="窗口人员态度恶劣秘密")
    services.rectification_return_visit(
        rectification=rectification,
        result="satisfied",
        note="回访记录秘密：已联系欧阳先生",
        actor=world["approver"],
    )
    services.rectification_complete(
        rectification=rectification, measures="增设引导员", actor=world["approver"]
    )
    appeal = services.appeal_file(
        rating=rectification.rating, reason="申诉理由秘密", actor=world["approver"]
    )
    services.appeal_decide(
        appeal=appeal, upheld=False, note="复核意见秘密", actor=world["supervisor"]
    )
    appeal.refresh_from_db()
    rectification.refresh_from_db()

    page = client.get(STATS, {"start": "2026-01-01"}).content.decode()

    assert "增设引导员" in page  # the measures are meant to be public
    for secret in _personal_strings(world, rectification, appeal):
        assert secret not in page, secret


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(alphabet="张王李赵欧阳司马诸葛明华", min_size=3, max_size=5),
    comment=st.text(alphabet="慢差态度恶劣排队太久没人管", min_size=6, max_size=30),
)
def test_whatever_the_rater_is_called_or_writes_the_public_page_does_not_show_it(
    world, client, name, comment
):
    with transaction.atomic():
        applicant = applicant_f.person(name=name)
        f.rated(world, 1, case_=f.case(world, applicant=applicant), comment=comment)

        page = client.get(STATS, {"start": "2026-01-01"}).content.decode()

        assert name not in page and comment not in page
        assert applicant.id_number not in page and applicant.phone not in page
        transaction.set_rollback(True)


def test_the_rated_on_date_range_is_shown(world, client):
    page = client.get(STATS, {"start": "2026-09-01", "end": "2026-09-30"}).content.decode()

    assert "2026年9月1日至2026年9月30日" in page
