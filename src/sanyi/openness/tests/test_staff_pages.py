"""Disclosure officers' pages under /workbench/open/: who may enter, every form (a happy
path and a refusal in Chinese), the four-eyes review, scoping and query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanyi.core.tests.error_summary import assert_error_summary
from sanyi.openness.choices import (
    Channel,
    DisclosureAttribute,
    DocumentKind,
    FiveKind,
    Level,
    NonDisclosureGround,
    PublicationStatus,
    Validity,
)
from sanyi.openness.models import DirectoryEntry, NegativeListEntry, Publication
from sanyi.openness.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def url(name, *args):
    return reverse(f"workbench:openness:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def _pub_data(**overrides):
    data = {
        "title": "关于2026年城乡低保标准的通知",
        "body": "<p>自2026年1月起提高低保标准。</p><script>x()</script>",
        "topic": "social_assistance",
        "document_kind": DocumentKind.NORMATIVE,
        "attribute": DisclosureAttribute.PROACTIVE,
        "validity": Validity.VALID,
        "document_number": "示民〔2026〕3号",
        "keywords": "低保 标准",
    }
    data.update(overrides)
    return data


# --- who may enter ------------------------------------------------------------------------


def _pages(org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    entry = f.entry(org_tree["district"])
    item = NegativeListEntry.objects.create(
        org_unit=org_tree["district"], title="涉密事项", ground=NonDisclosureGround.STATE_SECRET
    )
    return [
        url("home"),
        url("publications"),
        url("reviews"),
        url("publication", pub.pk),
        url("publication_review", pub.pk),
        url("timeliness"),
        url("entries"),
        url("duplicates"),
        url("directory_export"),
        url("negative_list"),
        url("entry_edit", entry.pk),
        url("negative_edit", item.pk),
        url("publication_create"),
        url("entry_create"),
        url("negative_create"),
        url("directory_import"),
    ]


def test_anonymous_is_sent_to_sign_in(client, org_tree):
    assert client.get(url("home")).status_code == 302


def test_other_roles_get_403_on_every_page(client, org_tree):
    pages = _pages(org_tree)
    login(client, org_f.staff(org_tree["district"], Role.CATALOG_ADMIN))

    for page in pages:
        assert client.get(page).status_code == 403, page


def test_supervisors_read_but_cannot_write(client, org_tree):
    pages = _pages(org_tree)
    login(client, org_f.staff(org_tree["district"], Role.SUPERVISOR))

    reading, writing = pages[:10], pages[10:]
    for page in reading:
        assert client.get(page).status_code == 200, page
    for page in writing:
        assert client.get(page).status_code == 403, page
    detail = text(client.get(pages[3]))
    # The page's help panel names the steps; the buttons themselves must not be there.
    raw = client.get(pages[3]).content.decode()
    assert ">提交保密审查</button>" not in raw and ">修改草稿</a>" not in raw
    assert "提交保密审查" in detail  # the help panel is shown to supervisors too


def test_another_subdistricts_officer_gets_404(client, org_tree):
    pub = f.draft(org_tree["sub1"], actor=org_tree["sub_writer"])
    entry = f.entry(org_tree["sub1"])
    item = NegativeListEntry.objects.create(
        org_unit=org_tree["sub1"], title="个人隐私", ground=NonDisclosureGround.PRIVACY
    )
    login(client, org_f.staff(org_tree["sub2"], Role.DISCLOSURE_OFFICER))

    for page in [
        url("publication", pub.pk),
        url("publication_edit", pub.pk),
        url("publication_review", pub.pk),
        url("entry_edit", entry.pk),
        url("negative_edit", item.pk),
    ]:
        assert client.get(page).status_code == 404, page
    assert client.post(url("publication_submit", pub.pk)).status_code == 404
    assert pub.title not in text(client.get(url("publications")))


def test_home_counts_and_links_to_requests_and_reports(client, org_tree):
    f.draft(org_tree["district"])
    f.in_review(org_tree["district"], writer=org_tree["writer"])
    login(client, org_tree["reviewer"])

    page = text(client.get(url("home")))

    assert "有1条信息等您做保密审查" in page
    assert "/workbench/open/requests/" in page and "/workbench/open/reports/" in page


def test_the_home_tile_shows_for_disclosure_officers(client, org_tree):
    login(client, org_tree["writer"])

    assert url("home") in text(client.get(reverse("workbench:home")))


# --- publications: drafting -----------------------------------------------------------------


def test_create_a_draft_with_its_document_kind(client, org_tree):
    login(client, org_tree["writer"])

    response = client.post(url("publication_create"), _pub_data(publisher=org_tree["district"].pk))

    pub = Publication.objects.get(title="关于2026年城乡低保标准的通知")
    assert response.status_code == 302 and response["Location"] == url("publication", pub.pk)
    assert pub.status == PublicationStatus.DRAFT and pub.created_by == org_tree["writer"]
    assert pub.document_kind == DocumentKind.NORMATIVE
    assert "<script>" not in pub.body


def test_create_refuses_not_disclosed_without_ground_in_chinese(client, org_tree):
    login(client, org_tree["writer"])

    response = client.post(
        url("publication_create"),
        _pub_data(publisher=org_tree["district"].pk, attribute=DisclosureAttribute.NOT_DISCLOSED),
    )

    assert response.status_code == 400
    assert "不予公开的信息须选择法定依据" in text(response)
    assert not Publication.objects.exists()


def test_a_sub_officer_cannot_pick_a_publisher_above_them(client, org_tree):
    login(client, org_tree["sub_writer"])

    response = client.post(url("publication_create"), _pub_data(publisher=org_tree["district"].pk))

    assert response.status_code == 400
    assert "选择一个有效的选项" in text(response)


def test_edit_a_draft(client, org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    login(client, org_tree["writer"])

    response = client.post(
        url("publication_edit", pub.pk),
        _pub_data(title="修改后的标题", document_kind=DocumentKind.REGULATION),
    )

    assert response.status_code == 302
    pub.refresh_from_db()
    assert pub.title == "修改后的标题" and pub.document_kind == DocumentKind.REGULATION


def test_edit_refuses_an_abolished_record_without_date(client, org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    login(client, org_tree["writer"])

    response = client.post(url("publication_edit", pub.pk), _pub_data(validity=Validity.ABOLISHED))

    assert response.status_code == 400
    assert "失效或废止的信息须填写失效/废止日期" in text(response)


def test_a_record_in_review_cannot_be_edited(client, org_tree):
    pub = f.in_review(org_tree["district"], writer=org_tree["writer"])
    login(client, org_tree["writer"])

    response = client.get(url("publication_edit", pub.pk), follow=True)

    assert "“保密审查中”状态的信息不能修改" in text(response)


def test_attachments_upload_and_download(client, org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    login(client, org_tree["writer"])

    client.post(
        url("publication_attachment", pub.pk),
        {"attachment": SimpleUploadedFile("通知.pdf", f.PDF_BYTES, "application/pdf")},
    )
    attachment = pub.attachments.get()
    download = client.get(url("publication_file", pub.pk, attachment.pk))

    assert attachment.original_name == "通知.pdf"
    assert download.status_code == 200 and b"".join(download.streaming_content) == f.PDF_BYTES


def test_an_attachment_of_the_wrong_kind_is_refused(client, org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    login(client, org_tree["writer"])

    response = client.post(
        url("publication_attachment", pub.pk),
        {"attachment": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )

    assert response.status_code == 400
    assert "不是允许的类型" in text(response)
    assert not pub.attachments.exists()


def test_add_an_interpretation_and_refuse_an_empty_text_one(client, org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    login(client, org_tree["writer"])

    bad = client.post(url("publication_interpretation", pub.pk), {"kind": "text", "title": "图解"})
    good = client.post(
        url("publication_interpretation", pub.pk),
        {"kind": "text", "title": "一图读懂", "text": "<p>标准提高了</p>"},
    )

    assert bad.status_code == 400 and "文字解读须填写解读内容" in text(bad)
    assert good.status_code == 302
    assert [i.title for i in pub.interpretations.all()] == ["一图读懂"]


# --- the workflow and the four-eyes rule on pages --------------------------------------------


def test_submit_for_review(client, org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    login(client, org_tree["writer"])

    client.post(url("publication_submit", pub.pk))

    pub.refresh_from_db()
    assert pub.status == PublicationStatus.IN_REVIEW and pub.submitted_by == org_tree["writer"]


def test_the_writer_is_told_they_cannot_review_their_own_record(client, org_tree):
    pub = f.in_review(org_tree["district"], writer=org_tree["writer"])
    login(client, org_tree["writer"])

    page = text(client.get(url("publication_review", pub.pk)))
    response = client.post(url("publication_review", pub.pk), {"decision": "approve"})

    assert "不能自己审查" in page and "四眼原则" in page
    assert response.status_code == 400
    assert "保密审查须由起草、修改、提交人以外的另一名政务公开专员办理" in text(response)
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.IN_REVIEW


def test_a_second_officer_approves(client, org_tree):
    pub = f.in_review(org_tree["district"], writer=org_tree["writer"])
    login(client, org_tree["reviewer"])

    response = client.post(url("publication_review", pub.pk), {"decision": "approve"})

    assert response.status_code == 302
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.APPROVED and pub.reviewed_by == org_tree["reviewer"]


def test_returning_needs_a_comment(client, org_tree):
    pub = f.in_review(org_tree["district"], writer=org_tree["writer"])
    login(client, org_tree["reviewer"])

    bad = client.post(url("publication_review", pub.pk), {"decision": "return"})
    good = client.post(
        url("publication_review", pub.pk), {"decision": "return", "comment": "删去身份证号"}
    )

    assert bad.status_code == 400 and "退回时请写明审查意见" in text(bad)
    assert good.status_code == 302
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.DRAFT and pub.review_comment == "删去身份证号"


def test_the_review_queue_leaves_out_the_viewers_own_records(client, org_tree):
    own = f.in_review(org_tree["district"], writer=org_tree["writer"], title="自己起草的")
    other = f.in_review(org_tree["district"], writer=org_tree["reviewer"], title="同事起草的")
    login(client, org_tree["writer"])

    page = text(client.get(url("reviews")))

    assert other.title in page and own.title not in page


def test_publish_now_gives_an_index_number(client, org_tree):
    pub = f.approved(org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"])
    login(client, org_tree["writer"])

    response = client.post(url("publication_publish", pub.pk), {"at": ""}, follow=True)

    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PUBLISHED
    assert f"已发布，索引号 {pub.index_number}" in text(response)


def test_schedule_for_later(client, org_tree):
    pub = f.approved(org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"])
    at = timezone.localtime() + dt.timedelta(days=2)
    login(client, org_tree["writer"])

    response = client.post(
        url("publication_publish", pub.pk), {"at": at.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )

    pub.refresh_from_db()
    assert pub.status == PublicationStatus.SCHEDULED
    assert "已定时发布" in text(response)


def test_an_on_request_record_cannot_be_published(client, org_tree):
    pub = f.approved(
        org_tree["district"],
        writer=org_tree["writer"],
        reviewer=org_tree["reviewer"],
        attribute=DisclosureAttribute.ON_REQUEST,
    )
    login(client, org_tree["writer"])

    response = client.post(url("publication_publish", pub.pk), {"at": ""})

    assert response.status_code == 400
    assert "不能在网站上主动公开" in text(response)


def test_revoke_needs_a_reason(client, org_tree):
    pub = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"]
    )
    login(client, org_tree["writer"])

    bad = client.post(url("publication_revoke", pub.pk), {"reason": ""})
    good = client.post(url("publication_revoke", pub.pk), {"reason": "内容有误，依法撤回"})

    assert bad.status_code == 400 and "该字段是必填项" in text(bad)
    assert good.status_code == 302
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.REVOKED and pub.revoke_reason == "内容有误，依法撤回"


def test_validity_change_needs_a_date(client, org_tree):
    pub = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"]
    )
    login(client, org_tree["writer"])

    bad = client.post(url("publication_validity", pub.pk), {"validity": Validity.EXPIRED})
    good = client.post(
        url("publication_validity", pub.pk),
        {"validity": Validity.ABOLISHED, "on": "2026-11-01"},
    )

    assert bad.status_code == 400 and "失效或废止的信息须填写失效/废止日期" in text(bad)
    assert good.status_code == 302
    pub.refresh_from_db()
    assert pub.validity == Validity.ABOLISHED and pub.validity_changed_on == dt.date(2026, 11, 1)


def test_detail_shows_the_publish_by_date_and_the_history_link(client, org_tree):
    entry = f.entry(org_tree["district"])
    pub = f.draft(
        org_tree["district"],
        actor=org_tree["writer"],
        directory_entry=entry,
        formed_on=dt.date(2026, 9, 30),
    )
    login(client, org_tree["writer"])

    page = text(client.get(url("publication", pub.pk)))

    assert "2026年11月3日前" in page
    assert reverse("workbench:object_history", args=["openness.publication", pub.pk]) in page


# --- lists ------------------------------------------------------------------------------------


def test_publication_list_filters(client, org_tree):
    entry = f.entry(org_tree["district"])
    rule = f.draft(
        org_tree["district"],
        title="规章甲",
        document_kind=DocumentKind.REGULATION,
        directory_entry=entry,
    )
    f.draft(org_tree["district"], title="其他乙")
    f.published(
        org_tree["district"],
        writer=org_tree["writer"],
        reviewer=org_tree["reviewer"],
        title="已发布丙",
    )
    login(client, org_tree["writer"])

    def titles(**params):
        page = client.get(url("publications"), params)
        return [p.title for p in page.context["page"].object_list]

    assert titles(document_kind=DocumentKind.REGULATION) == ["规章甲"]
    assert titles(status=PublicationStatus.PUBLISHED) == ["已发布丙"]
    assert titles(q="乙") == ["其他乙"]
    assert titles(entry=entry.pk) == [rule.title]
    assert titles(area=entry.area_id) == [rule.title]
    assert set(titles(unit=org_tree["district"].pk)) == {"规章甲", "其他乙", "已发布丙"}


def test_publication_list_pages_by_cursor_keeping_the_filters(
    client, org_tree, monkeypatch, django_assert_max_num_queries
):
    for n in range(5):
        f.draft(org_tree["district"], title=f"草稿{n}", document_kind=DocumentKind.NORMATIVE)
    f.draft(org_tree["district"], title="别的")
    monkeypatch.setattr("sanyi.openness.web.staff.PER_PAGE", 2)
    login(client, org_tree["writer"])
    params = {"document_kind": DocumentKind.NORMATIVE}
    client.get(url("publications"), params)  # warm the session

    seen, page = [], client.get(url("publications"), params)
    while True:
        seen += [p.title for p in page.context["page"].object_list]
        assert "共5条" in page.content.decode()
        keyset = page.context["page"]
        if not keyset.has_next:
            break
        assert "document_kind=normative" in keyset.next_url
        with django_assert_max_num_queries(10):
            page = client.get(url("publications") + keyset.next_url)

    assert sorted(seen) == [f"草稿{n}" for n in range(5)]
    assert keyset.number == 3
    tampered = client.get(url("publications"), {**params, "before": "forged"})
    assert "翻页链接已失效" in tampered.content.decode()


def test_lists_take_a_fixed_number_of_queries(client, org_tree, django_assert_max_num_queries):
    entries = [f.entry(org_tree["district"]) for _ in range(3)]
    for i in range(12):
        f.draft(org_tree["district"], directory_entry=entries[i % 3], formed_on=dt.date(2026, 1, 5))
    for i in range(3):
        NegativeListEntry.objects.create(
            org_unit=org_tree["district"], title=f"事项{i}", ground=NonDisclosureGround.PRIVACY
        )
    login(client, org_tree["writer"])
    client.get(url("home"))  # warm the working-day calendar

    for page in ["publications", "entries", "negative_list", "timeliness", "home"]:
        with django_assert_max_num_queries(14):
            assert client.get(url(page)).status_code == 200


# --- directory -----------------------------------------------------------------------------


def _entry_data(**overrides):
    data = {
        "area": f.area("P17").pk,
        "level": Level.DISTRICT,
        "sequence": 3,
        "item_l1": "最低生活保障",
        "item_l2": "低保审批结果",
        "content_elements": "姓名（隐去身份证号）、保障人数、保障金额",
        "basis": "《社会救助暂行办法》",
        "time_limit_text": "作出决定之日起7个工作日内",
        "time_limit_days": 7,
        "time_limit_unit": "working",
        "time_limit_trigger": "decision",
        "channels": [Channel.WEBSITE, Channel.NOTICE_BOARD],
        "audience": "public",
        "mode": "proactive",
        "five_kind": FiveKind.RESULT,
        "nature": "dynamic",
    }
    data.update(overrides)
    return data


def test_create_a_directory_entry(client, org_tree):
    login(client, org_tree["writer"])

    response = client.post(url("entry_create"), _entry_data(org_unit=org_tree["district"].pk))

    assert response.status_code == 302
    entry = DirectoryEntry.objects.get(item_l2="低保审批结果")
    assert entry.channels == [Channel.WEBSITE, Channel.NOTICE_BOARD]
    assert entry.time_limit_days == 7 and entry.org_unit == org_tree["district"]


def test_create_refuses_a_level_that_does_not_fit_the_body(client, org_tree):
    login(client, org_tree["writer"])

    response = client.post(
        url("entry_create"), _entry_data(org_unit=org_tree["comm1"].pk, level=Level.DISTRICT)
    )

    assert response.status_code == 400
    assert "不能作为县级（区）目录的公开主体" in text(response)


def test_edit_a_directory_entry_and_refuse_a_duplicate_name(client, org_tree):
    entry = f.entry(org_tree["district"], l2="甲事项")
    f.entry(org_tree["district"], l2="乙事项")
    login(client, org_tree["writer"])
    keep = {"item_l1": entry.item_l1, "is_active": "on"}

    good = client.post(url("entry_edit", entry.pk), _entry_data(item_l2="丙事项", **keep))
    bad = client.post(url("entry_edit", entry.pk), _entry_data(item_l2="乙事项", **keep))

    assert good.status_code == 302
    assert bad.status_code == 400 and "本单位目录中已有同名的公开事项" in text(bad)
    entry.refresh_from_db()
    assert entry.item_l2 == "丙事项"


def test_duplicates_page_lists_entries_kept_at_two_levels(client, org_tree):
    f.entry(org_tree["district"], l1="最低生活保障", l2="低保对象名单")
    f.entry(org_tree["sub1"], l1="最低生活保障", l2="低保对象名单")
    login(client, org_tree["writer"])

    page = text(client.get(url("duplicates")))

    assert "最低生活保障／低保对象名单" in page
    assert org_tree["district"].name in page and org_tree["sub1"].name in page


def test_negative_list_create_and_edit(client, org_tree):
    login(client, org_tree["writer"])
    data = {
        "org_unit": org_tree["district"].pk,
        "title": "信访人个人信息",
        "ground": NonDisclosureGround.PRIVACY,
        "basis": "条例第十五条",
    }

    created = client.post(url("negative_create"), data)
    duplicate = client.post(url("negative_create"), data)
    item = NegativeListEntry.objects.get()
    edited = client.post(
        url("negative_edit", item.pk),
        {"title": "信访人的个人信息", "ground": NonDisclosureGround.PRIVACY, "is_active": "on"},
    )

    assert created.status_code == 302
    assert duplicate.status_code == 400 and "本单位负面清单中已有同名事项" in text(duplicate)
    assert edited.status_code == 302
    item.refresh_from_db()
    assert item.title == "信访人的个人信息"


def test_negative_edit_needs_a_ground(client, org_tree):
    item = NegativeListEntry.objects.create(
        org_unit=org_tree["district"], title="涉密文件", ground=NonDisclosureGround.STATE_SECRET
    )
    login(client, org_tree["writer"])

    response = client.post(url("negative_edit", item.pk), {"title": "涉密文件", "ground": ""})

    assert response.status_code == 400 and "该字段是必填项" in text(response)
    assert_error_summary(response, {"id_ground": "该字段是必填项"})


# --- Excel import and export on pages ----------------------------------------------------------


def test_export_downloads_the_workbook(client, org_tree):
    f.entry(org_tree["district"])
    login(client, org_tree["writer"])

    response = client.get(url("directory_export"), {"unit": org_tree["district"].pk})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def _upload(content, name="目录.xlsx"):
    return SimpleUploadedFile(name, content, "application/octet-stream")


def test_import_preview_then_confirm(client, org_tree):
    from sanyi.openness import excel

    f.entry(org_tree["district"], l2="原有事项")
    content = excel.export_directory(org_tree["district"])
    DirectoryEntry.objects.all().delete()
    login(client, org_tree["writer"])

    uploaded = client.post(
        url("directory_import"), {"unit": org_tree["district"].pk, "file": _upload(content)}
    )
    preview = client.get(uploaded["Location"])

    assert uploaded.status_code == 302
    assert "新增1个公开事项" in text(preview) and "原有事项" in text(preview)
    assert not DirectoryEntry.objects.exists()

    confirmed = client.post(uploaded["Location"])

    assert confirmed.status_code == 302
    assert DirectoryEntry.objects.filter(item_l2="原有事项").exists()
    assert client.get(uploaded["Location"]).status_code == 404  # used once


def test_import_lists_every_problem_and_writes_nothing(client, org_tree):
    login(client, org_tree["writer"])

    response = client.post(
        url("directory_import"), {"unit": org_tree["district"].pk, "file": _upload(b"nonsense")}
    )

    assert response.status_code == 400
    assert "无法读取文件：请上传 Excel 工作簿（.xlsx）" in text(response)


def test_another_officer_cannot_open_someone_elses_preview(client, org_tree):
    from sanyi.openness import excel

    f.entry(org_tree["district"])
    login(client, org_tree["writer"])
    uploaded = client.post(
        url("directory_import"),
        {
            "unit": org_tree["district"].pk,
            "file": _upload(excel.export_directory(org_tree["district"])),
        },
    )
    login(client, org_tree["reviewer"])

    assert client.get(uploaded["Location"]).status_code == 404
    assert client.post(uploaded["Location"]).status_code == 404


# --- timeliness -------------------------------------------------------------------------------


def test_timeliness_page_groups_by_responsible_body(client, org_tree):
    entry = f.entry(org_tree["sub1"])
    f.draft(
        org_tree["sub1"],
        title="逾期未公开的名单",
        directory_entry=entry,
        formed_on=dt.date(2026, 1, 5),
    )
    f.published(
        org_tree["sub1"],
        writer=org_tree["sub_writer"],
        reviewer=org_f.staff(org_tree["sub1"], Role.DISCLOSURE_OFFICER),
        title="按时公开的名单",
        directory_entry=entry,
        formed_on=timezone.localdate(),
    )
    login(client, org_tree["writer"])

    page = text(client.get(url("timeliness")))
    only_overdue = text(client.get(url("timeliness"), {"state": "overdue"}))
    other_level = text(client.get(url("timeliness"), {"level": Level.DISTRICT}))

    assert f"{org_tree['sub1'].name}（乡级（街道/乡镇））" in page
    assert "逾期未公开的名单" in page and "按时公开的名单" in page
    assert "已逾期" in page
    assert "按时公开的名单" not in only_overdue and "逾期未公开的名单" in only_overdue
    assert "逾期未公开的名单" not in other_level


def test_cancel_drops_the_upload_and_stale_uploads_are_dropped(client, org_tree):
    import os
    import time

    from django.core.files.storage import default_storage

    from sanyi.openness import excel

    f.entry(org_tree["district"])
    content = excel.export_directory(org_tree["district"])
    login(client, org_tree["writer"])
    first = client.post(
        url("directory_import"), {"unit": org_tree["district"].pk, "file": _upload(content)}
    )
    token = first["Location"].rstrip("/").rsplit("/", 1)[-1]

    cancelled = client.post(url("directory_import_cancel", token), follow=True)

    assert "已取消导入" in text(cancelled)
    assert client.get(first["Location"]).status_code == 404

    second = client.post(
        url("directory_import"), {"unit": org_tree["district"].pk, "file": _upload(content)}
    )
    stale = second["Location"].rstrip("/").rsplit("/", 1)[-1]
    old = time.time() - 2 * 86400
    for name in ("source.xlsx", "meta.json"):
        path = f"imports/openness-directory/{stale}/{name}"
        os.utime(default_storage.path(path), (old, old))
    client.post(
        url("directory_import"), {"unit": org_tree["district"].pk, "file": _upload(content)}
    )

    assert client.get(second["Location"]).status_code == 404
