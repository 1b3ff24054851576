import pytest

from sanyi.orgs.models import Role
from sanyi.orgs.services import role_assign
from sanyi.orgs.tests import factories as f

pytestmark = pytest.mark.django_db


def test_home_greets_and_lists_roles_and_units(client):
    tree = f.tree()
    center = f.center(tree["sub1"], windows=1)
    window = center.windows.get()
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK, window=window)
    client.force_login(clerk)

    html = client.get("/workbench/").content.decode()

    assert f"您好，{clerk.full_name}" in html
    assert "窗口人员" in html
    assert tree["sub1"].name in html
    assert "1号窗口" in html
    assert 'href="/workbench/account/"' in html


def test_home_shows_an_empty_state_without_roles(client):
    from sanyi.orgs.models import User

    client.force_login(User.objects.create_user(username="nobody", password="x"))

    assert "您还没有分配岗位" in client.get("/workbench/").content.decode()


def test_home_query_count_is_bounded(client, django_assert_max_num_queries):
    tree = f.tree()
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    for unit in (tree["sub2"], tree["comm1"], tree["comm2"], tree["district"]):
        role_assign(actor=f.SYSTEM, user=clerk, org_unit=unit, role=Role.APPROVER)
    client.force_login(clerk)

    # session, user, the admin-OTP rule, the roles list
    with django_assert_max_num_queries(5):
        response = client.get("/workbench/")

    assert response.status_code == 200
    assert response.content.decode().count("审批人员") == 4


def test_workbench_pages_send_the_csrf_token_for_htmx(client):
    client.force_login(f.staff(f.district(), Role.WINDOW_CLERK))

    response = client.get("/workbench/")
    html = response.content.decode()

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "/static/vendor/htmx/htmx.min.js" in html
