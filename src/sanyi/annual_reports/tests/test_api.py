"""The annual-report API: list, create, detail, compute, issue; scoped; problem+json."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.annual_reports import services
from sanyi.annual_reports.tests import factories as f
from sanyi.disclosure_requests.choices import Outcome as O

D = dt.date


@pytest.fixture
def api():
    return APIClient()


def test_list_is_scoped_and_bounded(api, org_tree, django_assert_max_num_queries):
    for year in (2023, 2024, 2025):
        f.draft(org_tree["sub1"], year=year)
    f.draft(org_tree["other_district"], year=2025)
    api.force_authenticate(org_tree["supervisor"])
    with django_assert_max_num_queries(6):
        rows = api.get(reverse("api:annual-report-list")).json()["results"]
    assert [(r["year"], r["org_unit"]) for r in rows] == [
        (2025, org_tree["sub1"].pk),
        (2024, org_tree["sub1"].pk),
        (2023, org_tree["sub1"].pk),
    ]
    rows = api.get(reverse("api:annual-report-list"), {"year": 2024}).json()["results"]
    assert len(rows) == 1
    api.force_authenticate(org_tree["clerk"])
    response = api.get(reverse("api:annual-report-list"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_create_detail_and_issue(api, org_tree):
    f.info_request(
        org_tree["comm1"],
        column="public_interest",
        received=D(2025, 5, 1),
        concluded=D(2025, 5, 8),
        outcome=O.NOT_PROCESSED_REPEAT,
    )  # fmt: skip
    api.force_authenticate(org_tree["officer"])
    response = api.post(
        reverse("api:annual-report-list"),
        {"org_unit": org_tree["district"].pk, "year": 2025},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    pk = body["id"]
    assert body["document"]["data"]["cells"]["s3.not_processed_repeat.public_interest"] == 1
    assert body["document"]["checks"]["passed"] is False
    response = api.post(reverse("api:annual-report-issue", args=[pk]))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "行政许可" in response.content.decode()
    report = services.annual_report_update(
        actor=org_tree["officer"],
        report=services.AnnualReport.objects.get(pk=pk),
        overview="总体",
        problems="问题",
        figures=f.FIGURES,
    )
    response = api.post(reverse("api:annual-report-issue", args=[report.pk]))
    assert response.status_code == 200
    assert response.json()["status"] == "issued"
    detail = api.get(reverse("api:annual-report-detail", args=[report.pk])).json()
    assert detail["document"]["checks"] == {"passed": True, "failures": []}
    assert detail["document"]["sections"]["overview"] == "总体"


def test_a_supervisor_cannot_create_or_issue(api, org_tree):
    report = f.draft(org_tree["district"], year=2025)
    api.force_authenticate(org_tree["supervisor"])
    response = api.post(
        reverse("api:annual-report-list"),
        {"org_unit": org_tree["sub1"].pk, "year": 2025},
        format="json",
    )
    assert response.status_code == 403
    assert api.post(reverse("api:annual-report-issue", args=[report.pk])).status_code == 403


def test_compute_without_saving_and_out_of_scope_is_not_found(api, org_tree):
    f.info_request(org_tree["sub1"], column="other", received=D(2026, 2, 1))
    api.force_authenticate(org_tree["sub_officer"])
    response = api.post(
        reverse("api:annual-report-compute"),
        {"org_unit": org_tree["sub1"].pk, "year": 2026, "scope": "unit_only"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["data"]["cells"]["s3.carried_over.other"] == 1
    assert "截至" in response.json()["period_note"]
    response = api.post(
        reverse("api:annual-report-compute"),
        {"org_unit": org_tree["district"].pk, "year": 2026},
        format="json",
    )
    assert response.status_code == 404
    other = f.draft(org_tree["other_district"], year=2025)
    assert api.get(reverse("api:annual-report-detail", args=[other.pk])).status_code == 404


def test_anonymous_is_refused(api, org_tree):
    assert api.get(reverse("api:annual-report-list")).status_code == 401
