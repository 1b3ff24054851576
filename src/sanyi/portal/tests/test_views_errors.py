import pytest
from django.test import Client, RequestFactory

from sanyi.portal.views import errors

pytestmark = pytest.mark.django_db


def test_unknown_url_gets_the_portal_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "portal/error.html" in [t.name for t in response.templates]
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize(
    ("handler", "status", "title"),
    [
        (errors.bad_request, 400, "请求有误"),
        (errors.permission_denied, 403, "没有权限"),
        (errors.page_not_found, 404, "页面不存在"),
    ],
)
def test_error_handlers_render_in_portal_style(handler, status, title):
    request = RequestFactory().get("/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()

    response = handler(request, Exception("boom"))

    assert response.status_code == status
    html = response.content.decode()
    assert title in html
    assert "跳到主要内容" in html


def test_server_error_page_needs_no_database_or_session(django_assert_num_queries):
    request = RequestFactory().get("/x/")  # no user, no session: as after a crash

    with django_assert_num_queries(0):
        response = errors.server_error(request)

    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


def test_post_without_csrf_token_gets_the_friendly_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_forbidden_history_uses_the_403_page(client):
    from sanyi.orgs.models import Role
    from sanyi.orgs.tests import factories as f

    tree = f.tree()
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    client.force_login(clerk)

    response = client.get(f"/workbench/history/orgs.orgunit/{tree['sub2'].pk}/")

    assert response.status_code == 403
    assert "没有权限" in response.content.decode()
