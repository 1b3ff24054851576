"""Staff API under /api/v1/openness/manage/: writing directories, the negative list and
publications, the workflow as POST actions, scoping (404 outside the subtree) and
problem+json errors in Chinese."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanyi.openness.choices import DocumentKind, NonDisclosureGround, PublicationStatus
from sanyi.openness.models import DirectoryEntry, NegativeListEntry, Publication
from sanyi.openness.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def api(name, *args):
    return reverse(f"api:openness-manage-{name}", args=args)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _errors(response) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    return {e["field"]: e["message"] for e in response.json()["errors"]}


ENTRY = {
    "area": "P17",
    "level": "district",
    "item_l1": "最低生活保障",
    "item_l2": "低保标准",
    "content_elements": "城乡低保标准",
    "basis": "《社会救助暂行办法》",
    "time_limit_text": "信息形成或者变更之日起20个工作日内",
    "time_limit_days": 20,
    "channels": ["website", "notice_board"],
    "five_kind": "result",
}


def test_anonymous_and_other_roles_are_refused(client, org_tree, as_user):
    assert client.get(api("publication-list")).status_code in (401, 403)
    as_user(org_f.staff(org_tree["district"], Role.CATALOG_ADMIN))

    response = client.get(api("publication-list"))

    assert response.status_code == 403
    assert "政务公开专员" in response.json()["detail"]


def test_create_and_update_a_directory_entry(client, org_tree, as_user):
    as_user(org_tree["writer"])

    created = client.post(
        api("entry-list"),
        {**ENTRY, "org_unit": org_tree["district"].pk},
        content_type="application/json",
    )
    pk = created.json()["id"]
    updated = client.patch(
        api("entry-detail", pk), {"basis": "新依据", "channels": ["gazette"]},
        content_type="application/json",
    )  # fmt: skip

    assert created.status_code == 201
    assert created.json()["channel_labels"] == ["政府网站", "社区/村公示栏（电子屏）"]
    assert updated.status_code == 200
    entry = DirectoryEntry.objects.get(pk=pk)
    assert entry.basis == "新依据" and entry.channels == ["gazette"]


def test_directory_errors_are_chinese_problems(client, org_tree, as_user):
    as_user(org_tree["writer"])

    response = client.post(
        api("entry-list"),
        {**ENTRY, "org_unit": org_tree["comm1"].pk, "channels": ["carrier_pigeon"]},
        content_type="application/json",
    )

    assert response.status_code == 400
    errors = _errors(response)
    assert "不在官方清单中" in errors["channels"]
    assert "不能作为县级（区）目录的公开主体" in errors["org_unit"]


def test_a_unit_outside_the_subtree_cannot_be_written_to(client, org_tree, as_user):
    as_user(org_tree["sub_writer"])

    response = client.post(
        api("entry-list"),
        {**ENTRY, "level": "subdistrict", "org_unit": org_tree["sub2"].pk},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "不在您的管辖范围内" in _errors(response)["org_unit"]


def test_entries_outside_the_subtree_are_404(client, org_tree, as_user):
    entry = f.entry(org_tree["sub1"])
    item = NegativeListEntry.objects.create(
        org_unit=org_tree["sub1"], title="隐私", ground=NonDisclosureGround.PRIVACY
    )
    pub = f.draft(org_tree["sub1"])
    as_user(org_f.staff(org_tree["sub2"], Role.DISCLOSURE_OFFICER))

    assert client.get(api("entry-detail", entry.pk)).status_code == 404
    assert (
        client.patch(
            api("entry-detail", entry.pk), {"basis": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get(api("negative-detail", item.pk)).status_code == 404
    assert client.get(api("publication-detail", pub.pk)).status_code == 404
    assert client.post(api("publication-submit", pub.pk)).status_code == 404
    assert client.get(api("entry-list")).json()["results"] == []
    assert client.get(api("publication-list")).json()["results"] == []


def test_negative_list_create_and_update(client, org_tree, as_user):
    as_user(org_tree["writer"])

    created = client.post(
        api("negative-list"),
        {"org_unit": org_tree["district"].pk, "title": "举报人信息", "ground": "art15_privacy"},
        content_type="application/json",
    )
    bad = client.post(
        api("negative-list"),
        {"org_unit": org_tree["district"].pk, "title": "另一项", "ground": "whim"},
        content_type="application/json",
    )
    updated = client.patch(
        api("negative-detail", created.json()["id"]), {"is_active": False},
        content_type="application/json",
    )  # fmt: skip

    assert created.status_code == 201 and created.json()["ground_label"].startswith("第十五条")
    assert bad.status_code == 400 and "法定依据" in _errors(bad)["ground"]
    assert updated.status_code == 200 and updated.json()["is_active"] is False


def test_the_whole_workflow_through_the_api(client, org_tree, as_user):
    as_user(org_tree["writer"])
    created = client.post(
        api("publication-list"),
        {
            "publisher": org_tree["district"].pk,
            "title": "区政府规章",
            "body": "<p>正文</p><script>x</script>",
            "document_kind": "regulation",
        },
        content_type="application/json",
    )
    pk = created.json()["id"]
    assert created.status_code == 201
    assert created.json()["document_kind"] == DocumentKind.REGULATION
    assert created.json()["body"] == "<p>正文</p>"

    patched = client.patch(
        api("publication-detail", pk), {"document_number": "示政令第1号"},
        content_type="application/json",
    )  # fmt: skip
    submitted = client.post(api("publication-submit", pk))
    own_review = client.post(
        api("publication-review", pk), {"approve": True}, content_type="application/json"
    )
    assert patched.json()["document_number"] == "示政令第1号"
    assert submitted.json()["status"] == PublicationStatus.IN_REVIEW
    assert own_review.status_code == 403
    assert "另一名政务公开专员" in own_review.json()["detail"]

    as_user(org_tree["reviewer"])
    reviewed = client.post(
        api("publication-review", pk), {"approve": True}, content_type="application/json"
    )
    assert reviewed.json()["status"] == PublicationStatus.APPROVED
    assert reviewed.json()["reviewed_by"] == org_tree["reviewer"].username

    at = timezone.now() + dt.timedelta(days=1)
    scheduled = client.post(
        api("publication-publish", pk), {"at": at.isoformat()}, content_type="application/json"
    )
    assert scheduled.json()["status"] == PublicationStatus.SCHEDULED
    assert scheduled.json()["index_number"]

    validity = client.post(
        api("publication-validity", pk), {"validity": "abolished"},
        content_type="application/json",
    )  # fmt: skip
    assert validity.status_code == 400
    assert "失效/废止日期" in _errors(validity)["validity_changed_on"]

    revoked = client.post(
        api("publication-revoke", pk), {"reason": "发布有误"}, content_type="application/json"
    )
    assert revoked.json()["status"] == PublicationStatus.REVOKED
    assert Publication.objects.get(pk=pk).revoke_reason == "发布有误"


def test_publish_now_and_refuse_editing_afterwards(client, org_tree, as_user):
    pub = f.approved(org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"])
    as_user(org_tree["writer"])

    published = client.post(api("publication-publish", pub.pk), {}, content_type="application/json")
    edit = client.patch(
        api("publication-detail", pub.pk), {"title": "改"}, content_type="application/json"
    )

    assert published.json()["status"] == PublicationStatus.PUBLISHED
    assert edit.status_code == 400
    assert "“已发布”状态的信息不能修改" in _errors(edit)["status"]


def test_supervisors_read_but_cannot_write(client, org_tree, as_user):
    pub = f.draft(org_tree["district"])
    as_user(org_f.staff(org_tree["district"], Role.SUPERVISOR))

    read = client.get(api("publication-detail", pub.pk))
    submit = client.post(api("publication-submit", pub.pk))

    assert read.status_code == 200
    assert submit.status_code == 403


def test_staff_list_filters_and_query_count(
    client, org_tree, as_user, django_assert_max_num_queries
):
    for i in range(8):
        f.draft(org_tree["district"], title=f"草稿{i}", document_kind=DocumentKind.NORMATIVE)
    f.published(
        org_tree["district"],
        writer=org_tree["writer"],
        reviewer=org_tree["reviewer"],
        title="已发布的",
    )
    as_user(org_tree["writer"])

    with django_assert_max_num_queries(8):
        rows = client.get(api("publication-list")).json()["results"]
    kind = client.get(api("publication-list"), {"document_kind": "normative"}).json()
    status = client.get(api("publication-list"), {"status": "published"}).json()
    bad = client.get(api("publication-list"), {"status": "lost"})

    assert len(rows) == 9
    assert kind["count"] == 8
    assert [r["title"] for r in status["results"]] == ["已发布的"]
    assert bad.status_code == 400


def test_the_staff_publication_list_pages_by_cursor(client, org_tree, as_user):
    for i in range(3):
        f.draft(org_tree["district"], title=f"草稿{i}")
    as_user(org_tree["writer"])

    first = client.get(api("publication-list"), {"limit": 2}).json()
    second = client.get(first["next"]).json()
    forged = client.get(api("publication-list"), {"after": "forged"})

    assert first["count"] == 3 and not first["count_capped"]
    titles = [r["title"] for r in first["results"] + second["results"]]
    assert sorted(titles) == ["草稿0", "草稿1", "草稿2"]
    assert second["next"] is None and second["previous"]
    assert forged.status_code == 400 and "after" in forged.content.decode()


def test_the_public_endpoints_still_show_only_public_records(client, org_tree):
    f.draft(org_tree["district"], title="草稿")
    f.published(
        org_tree["district"],
        writer=org_tree["writer"],
        reviewer=org_tree["reviewer"],
        title="公开的",
    )

    rows = client.get(reverse("api:openness-publication-list")).json()["results"]

    assert [r["title"] for r in rows] == ["公开的"]


def test_attach_a_file_and_add_an_interpretation(client, org_tree, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    as_user(org_tree["writer"])

    attached = client.post(
        api("publication-attachments", pub.pk),
        {"file": SimpleUploadedFile("附件.pdf", f.PDF_BYTES, "application/pdf")},
    )
    refused = client.post(
        api("publication-attachments", pub.pk),
        {"file": SimpleUploadedFile("a.pdf", b"plain text", "application/pdf")},
    )
    interpreted = client.post(
        api("publication-interpretations", pub.pk),
        {"kind": "video", "title": "视频解读", "video_url": "http://insecure.example"},
        content_type="application/json",
    )
    good = client.post(
        api("publication-interpretations", pub.pk),
        {"kind": "text", "title": "文字解读", "text": "<p>说明</p>"},
        content_type="application/json",
    )

    assert attached.status_code == 201
    assert [a["original_name"] for a in attached.json()["attachments"]] == ["附件.pdf"]
    assert refused.status_code == 400 and "不是允许的类型" in _errors(refused)["attachment"]
    assert interpreted.status_code == 400 and "https://" in _errors(interpreted)["video_url"]
    assert good.status_code == 201 and good.json()["title"] == "文字解读"


def test_interpretation_of_any_kind_refuses_a_script_video_link(client, org_tree, as_user):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    as_user(org_tree["writer"])

    response = client.post(
        api("publication-interpretations", pub.pk),
        {"kind": "text", "title": "文字解读", "text": "<p>说明</p>", "video_url": "javascript:x"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "视频地址" in _errors(response)["video_url"]
    assert not pub.interpretations.exists()
