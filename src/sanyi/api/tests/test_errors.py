"""One error format for every endpoint: RFC 9457 problem+json with Chinese field messages."""

import pytest
from django.test import Client

from sanyi.api import throttles
from sanyi.api.errors import is_api_request, problem_for_status
from sanyi.api.tests.problems import fields_of, problem_of

pytestmark = pytest.mark.django_db
TEST_URLS = pytest.mark.urls("sanyi.api.tests.error_urls")


def test_bad_query_parameters_are_a_400_problem_naming_each_parameter(api):
    response = api.get("/api/v1/calendar/deadline/", {"start": "2026-02-30", "days": "二十"})

    problem = problem_of(response, 400)
    assert problem["type"] == "urn:sanyi:problem:validation-error"
    assert problem["title"] == "输入内容有误"
    assert problem["instance"] == "/api/v1/calendar/deadline/"
    errors = fields_of(problem)
    assert set(errors) == {"start", "days"}
    assert "起算日期（start）" in errors["start"][0]
    assert "工作日数（days）" in errors["days"][0]
    assert "共2处错误" in problem["detail"]


def test_unparseable_json_is_a_400_malformed_request(api):
    response = api.post("/api/v1/auth/token/", data="{not json", content_type="application/json")

    problem = problem_of(response, 400)
    assert problem["type"] == "urn:sanyi:problem:malformed-request"


def test_an_unsupported_body_type_is_a_415(api):
    response = api.post("/api/v1/auth/token/", data="username=a", content_type="text/plain")

    assert problem_of(response, 415)["type"] == "urn:sanyi:problem:unsupported-media-type"


@TEST_URLS
def test_a_service_validation_error_becomes_a_400_with_its_field_messages(api):
    response = api.post("/api/v1/test/service-validation/")

    problem = problem_of(response, 400)
    assert problem["type"] == "urn:sanyi:problem:validation-error"
    assert fields_of(problem) == {
        "parent": ["最上级不能设立网格"],
        "name": ["名称不能为空"],
    }


@TEST_URLS
def test_nested_serializer_errors_get_dotted_field_paths(api):
    response = api.post(
        "/api/v1/test/nested-validation/",
        {"title": "", "address": {}, "materials": [{"name": "身份证"}, {}], "tags": [1, "x"]},
        format="json",
    )

    problem = problem_of(response, 400)
    assert set(fields_of(problem)) == {"title", "address.city", "materials.1.name", "tags.1"}
    codes = {error["field"]: error["code"] for error in problem["errors"]}
    assert codes["address.city"] == "required"
    assert codes["title"] == "blank"


def test_missing_credentials_are_a_401_with_the_token_challenge(api):
    response = api.delete("/api/v1/auth/token/")

    problem = problem_of(response, 401)
    assert problem["type"] == "urn:sanyi:problem:not-authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_a_401_even_on_public_endpoints(api):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = api.get("/api/v1/org-units/")

    problem = problem_of(response, 401)
    assert problem["type"] == "urn:sanyi:problem:authentication-failed"


@TEST_URLS
def test_a_django_permission_denied_is_a_403_with_its_message(api):
    problem = problem_of(api.get("/api/v1/test/django-permission/"), 403)

    assert problem["type"] == "urn:sanyi:problem:permission-denied"
    assert problem["detail"] == "只有本街道的窗口人员可以查看"


@TEST_URLS
def test_a_missing_object_is_a_404_without_model_internals(api):
    problem = problem_of(api.get("/api/v1/test/missing-object/"), 404)

    assert problem["type"] == "urn:sanyi:problem:not-found"
    assert "OrgUnit" not in problem["detail"]


def test_an_unknown_address_under_the_api_is_a_problem_not_the_html_page(api):
    problem = problem_of(api.get("/api/v1/no-such-thing/"), 404)

    assert problem["detail"] == "接口地址不存在：/api/v1/no-such-thing/。全部接口见 /api/v1/docs/"


def test_a_missing_trailing_slash_is_pointed_out(api):
    problem = problem_of(api.get("/api/v1/org-units"), 404)

    assert "应为 /api/v1/org-units/" in problem["detail"]


def test_an_unsupported_method_is_a_405_listing_the_allowed_ones(api):
    response = api.post("/api/v1/org-units/", {"name": "新单位"}, format="json")

    problem = problem_of(response, 405)
    assert problem["type"] == "urn:sanyi:problem:method-not-allowed"
    assert "POST" in problem["detail"]
    assert "GET" in response["Allow"]


def test_too_many_requests_is_a_429_with_retry_after(api, monkeypatch):
    monkeypatch.setitem(throttles.AnonRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    for _ in range(2):
        assert api.get("/api/v1/calendar/workday/", {"date": "2026-10-10"}).status_code == 200

    response = api.get("/api/v1/calendar/workday/", {"date": "2026-10-10"})

    problem = problem_of(response, 429)
    assert problem["type"] == "urn:sanyi:problem:too-many-requests"
    assert int(response["Retry-After"]) > 0
    assert f"{response['Retry-After']}秒后" in problem["detail"]


def test_anonymous_callers_are_limited_per_client_address_as_the_audit_trail_sees_it(
    api, monkeypatch, settings
):
    # Behind the proxy every request comes from the proxy's address; the limit applies to
    # the client, the right-most address the trusted proxy appended, like everywhere else.
    settings.SANYI_TRUSTED_PROXIES = ["10.0.0.1"]
    monkeypatch.setitem(throttles.AnonRateThrottle.THROTTLE_RATES, "anon", "1/minute")
    url, query = "/api/v1/calendar/workday/", {"date": "2026-10-10"}
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    assert api.get(url, query, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 200
    spoofed = api.get(url, query, HTTP_X_FORWARDED_FOR="10.0.0.2, 203.0.113.7", **proxy)
    other = api.get(url, query, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)

    assert spoofed.status_code == 429
    assert other.status_code == 200


def test_a_rotating_forwarded_for_does_not_escape_the_api_limit(api, monkeypatch, settings):
    settings.SANYI_TRUSTED_PROXIES = []
    monkeypatch.setitem(throttles.AnonRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    url, query = "/api/v1/calendar/workday/", {"date": "2026-10-10"}

    statuses = [
        api.get(url, query, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(3)
    ]

    assert statuses == [200, 200, 429]


@TEST_URLS
def test_an_unexpected_error_is_a_500_problem_without_internals(caplog):
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/test/broken/")

    problem = problem_of(response, 500)
    assert problem["type"] == "urn:sanyi:problem:server-error"
    assert "hunter2" not in response.content.decode()
    assert "RuntimeError" not in response.content.decode()
    # …but the log keeps the traceback, once, for the people who run the site.
    errors = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "hunter2" in str(errors[0].exc_info[1])


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_site_error_handlers_can_answer_api_callers_with_a_problem(rf, status):
    request = rf.get("/api/v1/org-units/")

    assert is_api_request(request)
    problem = problem_of(problem_for_status(request, status), status)
    assert problem["instance"] == "/api/v1/org-units/"


def test_pages_outside_the_api_are_not_api_requests(rf):
    assert not is_api_request(rf.get("/apiary/"))
    assert not is_api_request(rf.get("/workbench/api/"))
