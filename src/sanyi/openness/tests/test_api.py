"""The read-only public API under /api/v1/openness/."""

import pytest
from django.urls import reverse

from sanyi.openness.tests import factories as f

pytestmark = pytest.mark.django_db


def test_list_and_detail_of_public_records(client, org_tree, django_assert_max_num_queries):
    pub = f.published(
        org_tree["district"],
        writer=org_tree["writer"],
        reviewer=org_tree["reviewer"],
        title="API公开信息",
    )
    f.draft(org_tree["district"], title="API草稿")

    with django_assert_max_num_queries(4):
        rows = client.get(reverse("api:openness-publication-list")).json()["results"]
    detail = client.get(reverse("api:openness-publication-detail", args=[pub.pk])).json()

    assert [r["title"] for r in rows] == ["API公开信息"]
    assert rows[0]["index_number"] == pub.index_number
    assert detail["body"] == "<p>正文内容</p>"
    assert detail["url"].endswith(pub.get_absolute_url())


def test_a_draft_is_a_not_found_problem(client, org_tree):
    draft = f.draft(org_tree["district"])

    response = client.get(reverse("api:openness-publication-detail", args=[draft.pk]))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_bad_filters_are_named_in_chinese(client, org_tree):
    response = client.get(reverse("api:openness-publication-list"), {"topic": "x", "year": "abc"})

    assert response.status_code == 400
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "主题分类（topic）“x”不存在" in fields["topic"]
    assert "发布年份（year）" in fields["year"]
