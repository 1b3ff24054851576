"""The staff handbook where the work is done: 审查要点 beside each material at the counter,
办理要点 beside each step on the case page."""

import pytest
from django.urls import reverse

from sanyi.cases.tests import factories as f
from sanyi.cases.tests.test_pages_counter import _walk_in
from sanyi.cases.tests.test_pages_staff import claimed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def test_acceptance_shows_the_review_points_beside_each_material(
    client, w, django_assert_max_num_queries
):
    client.force_login(w["clerk"])
    case = _walk_in(client, w, w["item"])

    with django_assert_max_num_queries(40):
        html = client.get(
            reverse("workbench:cases:counter_accept", args=[case.number])
        ).content.decode()

    assert html.count('data-handbook="review"') == 2  # the shared 营业执照 is not collected
    assert "审查要点：</strong>申请书：核对原件与申请人一致" in html
    assert "常见问题：</strong>房屋租赁合同：常见漏签名" in html
    # each note sits after its own material's checkbox
    assert html.index("申请书：核对原件") < html.index("房屋租赁合同：核对原件")


def test_precheck_shows_the_review_points(client, w):
    case = f.case(w, state="precheck", channel="online")
    client.force_login(w["clerk"])

    html = client.get(
        reverse("workbench:cases:counter_precheck", args=[case.number])
    ).content.decode()

    assert "审查要点：</strong>申请书：核对原件与申请人一致" in html


def test_case_page_shows_the_handling_points_beside_each_step(client, w):
    case = f.case(w)
    task = claimed(w, case)
    client.force_login(w["approver"])

    html = client.get(reverse("workbench:cases:work_case", args=[case.pk])).content.decode()

    assert f"{task.name}：按办理要点核对" in html
    form = html[html.index('id="form-task"') :]
    assert "办理要点：</strong>" in form[: form.index("</form>")]
