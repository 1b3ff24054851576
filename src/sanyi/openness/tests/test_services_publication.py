"""The publication workflow: draft → review by a second officer → publish or schedule →
revoke; index numbers; sanitising; attachments; history."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.openness import services
from sanyi.openness.choices import DisclosureAttribute, PublicationStatus, Validity
from sanyi.openness.models import IndexCounter
from sanyi.openness.selectors import publication_public_qs, review_queue
from sanyi.openness.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def _actions(pub):
    return list(
        AuditEvent.objects.filter(object_type="openness.publication", object_id=str(pub.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_full_workflow_is_audited_step_by_step(org_tree):
    pub = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"]
    )
    services.publication_revoke(actor=org_tree["writer"], publication=pub, reason="依法撤回")

    assert _actions(pub) == [
        "publication.create",
        "publication.submit",
        "publication.approve",
        "publication.publish",
        "publication.revoke",
    ]


def test_body_is_sanitised_on_create(org_tree):
    pub = f.draft(
        org_tree["district"],
        body='<p onclick="x()">通知<script>alert(1)</script><a href="javascript:1">链接</a>'
        '<img src="x.png"></p>',
    )

    assert "script" not in pub.body and "onclick" not in pub.body
    assert "javascript" not in pub.body and "<img" not in pub.body
    assert pub.body_text == "通知链接"


def test_review_by_the_writer_is_refused(org_tree):
    pub = f.in_review(org_tree["district"], writer=org_tree["writer"])

    with pytest.raises(PermissionDenied, match="另一名"):
        services.publication_review(actor=org_tree["writer"], publication=pub, approve=True)


def test_review_needs_the_disclosure_role_in_scope(org_tree):
    pub = f.in_review(org_tree["district"], writer=org_tree["writer"])
    outsider = org_f.staff(org_tree["sub2"], Role.DISCLOSURE_OFFICER)

    with pytest.raises(PermissionDenied):
        services.publication_review(actor=outsider, publication=pub, approve=True)


def test_returning_needs_a_comment_and_makes_a_draft_again(org_tree):
    pub = f.in_review(org_tree["district"], writer=org_tree["writer"])
    with pytest.raises(ValidationError) as exc:
        services.publication_review(actor=org_tree["reviewer"], publication=pub, approve=False)
    assert "审查意见" in str(exc.value)

    pub = services.publication_review(
        actor=org_tree["reviewer"],
        publication=pub,
        approve=False,
        comment="涉及个人信息，请删除身份证号",
    )
    assert pub.status == PublicationStatus.DRAFT
    assert pub.review_comment.startswith("涉及个人信息")
    services.publication_update(actor=org_tree["writer"], publication=pub, title="修改后的标题")


def test_only_drafts_can_be_changed(org_tree):
    pub = f.approved(org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"])

    with pytest.raises(ValidationError, match="审查通过"):
        services.publication_update(actor=org_tree["writer"], publication=pub, title="改标题")


def test_not_disclosed_needs_a_ground(org_tree):
    with pytest.raises(ValidationError) as exc:
        services.publication_create(
            actor=f.SYSTEM, publisher=org_tree["district"], title="内部会议纪要",
            attribute=DisclosureAttribute.NOT_DISCLOSED,
        )  # fmt: skip
    assert "non_disclosure_ground" in exc.value.message_dict


@pytest.mark.parametrize(
    "attribute", [DisclosureAttribute.ON_REQUEST, DisclosureAttribute.NOT_DISCLOSED]
)
def test_non_proactive_records_cannot_be_published(org_tree, attribute):
    pub = f.approved(
        org_tree["district"],
        writer=org_tree["writer"],
        reviewer=org_tree["reviewer"],
        attribute=attribute,
    )

    with pytest.raises(ValidationError, match="不能在网站上主动公开"):
        services.publication_publish(actor=org_tree["writer"], publication=pub)


def test_abolished_needs_its_date(org_tree):
    with pytest.raises(ValidationError) as exc:
        f.draft(org_tree["district"], validity=Validity.ABOLISHED)
    assert "validity_changed_on" in exc.value.message_dict


def test_index_numbers_are_uscc_year_sequence_per_publisher(org_tree):
    a = f.published(org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"])
    b = f.published(org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"])
    c = f.published(org_tree["sub1"], writer=org_tree["sub_writer"], reviewer=org_tree["reviewer"])
    year = timezone.localtime(a.publish_at).year

    assert a.index_number == f"{org_tree['district'].uscc}/{year}-00001"
    assert b.index_number == f"{org_tree['district'].uscc}/{year}-00002"
    assert c.index_number == f"{org_tree['sub1'].uscc}/{year}-00001"
    assert re.fullmatch(r"[0-9A-Z]{18}/\d{4}-\d{5}", a.index_number)


def test_a_community_numbers_under_its_nearest_unit_with_a_uscc(org_tree):
    pub = f.published(
        org_tree["comm1"], writer=org_tree["sub_writer"], reviewer=org_tree["reviewer"]
    )

    assert pub.index_number.startswith(org_tree["sub1"].uscc + "/")


def test_revoked_numbers_are_never_reused(org_tree):
    first = f.revoked(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"]
    )
    second = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"]
    )

    assert first.index_number.endswith("-00001")
    assert second.index_number.endswith("-00002")
    assert IndexCounter.objects.get(prefix=org_tree["district"].uscc).last == 2


def test_scheduled_record_becomes_public_when_its_time_comes(org_tree):
    pub = f.scheduled(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"], days=2
    )

    assert pub.status == PublicationStatus.SCHEDULED
    assert not publication_public_qs().filter(pk=pub.pk).exists()
    later = timezone.now() + dt.timedelta(days=2, seconds=1)
    assert publication_public_qs(later).filter(pk=pub.pk).exists()


def test_publish_due_marks_due_records_and_audits(org_tree):
    pub = f.scheduled(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"], days=1
    )

    assert services.publication_publish_due(now=timezone.now()) == 0
    assert services.publication_publish_due(now=timezone.now() + dt.timedelta(days=2)) == 1
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PUBLISHED
    assert _actions(pub)[-1] == "publication.publish_due"


def test_each_publish_keeps_a_revision(org_tree):
    pub = f.published(
        org_tree["district"],
        writer=org_tree["writer"],
        reviewer=org_tree["reviewer"],
        title="原标题",
    )
    services.publication_validity_set(
        actor=org_tree["writer"],
        publication=pub,
        validity=Validity.ABOLISHED,
        on=dt.date(2026, 11, 1),
    )

    revisions = list(pub.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].content["title"] == "原标题"
    assert revisions[0].content["validity"] == "valid"
    assert revisions[1].content["validity"] == "abolished"


def test_revoke_needs_a_reason(org_tree):
    pub = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"]
    )

    with pytest.raises(ValidationError, match="撤销原因"):
        services.publication_revoke(actor=org_tree["writer"], publication=pub, reason=" ")


def test_pdf_attachment_is_stored_with_its_hash(org_tree):
    pub = f.draft(org_tree["district"])
    att = services.publication_attachment_add(
        actor=f.SYSTEM,
        publication=pub,
        uploaded=SimpleUploadedFile("通知.pdf", f.PDF_BYTES, content_type="text/plain"),
    )

    assert att.content_type == "application/pdf"
    assert att.original_name == "通知.pdf"
    with att.file.open("rb") as fh:
        assert fh.read() == f.PDF_BYTES


def test_attachment_type_is_sniffed_not_taken_from_the_name(org_tree):
    pub = f.draft(org_tree["district"])

    with pytest.raises(ValidationError) as exc:
        services.publication_attachment_add(
            actor=f.SYSTEM,
            publication=pub,
            uploaded=SimpleUploadedFile("假的.pdf", b"<html>not a pdf</html>"),
        )
    assert "不是允许的类型" in str(exc.value)


def test_attachment_over_the_size_limit_is_refused(org_tree, settings):
    settings.SANYI_UPLOAD_MAX_BYTES = 1024 * 1024
    pub = f.draft(org_tree["district"])

    with pytest.raises(ValidationError, match="超过1MB"):
        services.publication_attachment_add(
            actor=f.SYSTEM,
            publication=pub,
            uploaded=SimpleUploadedFile("大.pdf", f.PDF_BYTES + b"0" * (1024 * 1024)),
        )


def test_docx_and_xlsx_are_told_apart(org_tree, tmp_path):
    import openpyxl

    from sanyi.openness.files import ATTACHMENT_TYPES, check_upload

    path = tmp_path / "a.xlsx"
    openpyxl.Workbook().save(path)
    checked = check_upload(
        SimpleUploadedFile("表.xlsx", path.read_bytes()), allowed=ATTACHMENT_TYPES
    )
    assert checked.extension == "xlsx"


def test_text_interpretation_is_linked_to_its_policy(org_tree):
    pub = f.draft(org_tree["district"])
    item = services.interpretation_create(
        actor=f.SYSTEM, policy=pub, kind="text", title="一图读懂", text="<p>三个要点</p>"
    )

    assert list(pub.interpretations.all()) == [item]
    with pytest.raises(ValidationError) as exc:
        services.interpretation_create(actor=f.SYSTEM, policy=pub, kind="video", title="视频")
    assert "video_url" in exc.value.message_dict


def test_staff_list_shows_only_units_in_scope(org_tree):
    from sanyi.openness.selectors import publication_list

    district_draft = f.draft(org_tree["district"])
    sub_draft = f.draft(org_tree["sub1"])

    assert set(publication_list(viewer=org_tree["sub_writer"])) == {sub_draft}
    assert set(publication_list(viewer=org_tree["writer"])) == {district_draft, sub_draft}


def test_history_is_open_to_officers_of_the_unit_only(org_tree):
    from django.http import Http404

    from sanyi.workbench.history import may_view_history

    pub = f.draft(org_tree["district"])

    assert may_view_history(org_tree["writer"], "openness.publication", str(pub.pk))
    assert not may_view_history(org_tree["sub_writer"], "openness.publication", str(pub.pk))
    with pytest.raises(Http404):
        may_view_history(org_tree["writer"], "openness.publication", "999999")


def test_scheduling_enqueues_the_due_task_at_the_publish_time(
    org_tree, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        pub = f.scheduled(
            org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"], days=2
        )

    queued = DBTaskResult.objects.get(task_path="sanyi.openness.tasks.publication_mark_due")
    assert queued.run_after == pub.publish_at


def test_an_officer_who_edited_the_draft_cannot_do_its_check(org_tree):
    editor = org_tree["reviewer"]
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    services.publication_update(actor=editor, publication=pub, title="关于调整低保标准的通知")
    services.publication_submit(actor=org_tree["writer"], publication=pub)

    with pytest.raises(PermissionDenied, match="修改"):
        services.publication_review(actor=editor, publication=pub, approve=True)
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.IN_REVIEW
    assert list(pub.editors.all()) == [editor]
    assert pub not in review_queue(viewer=editor)

    third = org_f.staff(org_tree["district"], Role.DISCLOSURE_OFFICER)
    services.publication_review(actor=third, publication=pub, approve=True)
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.APPROVED


def test_adding_an_attachment_to_the_draft_counts_as_editing(org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"])
    pdf = SimpleUploadedFile("附件.pdf", f.PDF_BYTES)
    services.publication_attachment_add(actor=org_tree["reviewer"], publication=pub, uploaded=pdf)
    services.publication_submit(actor=org_tree["writer"], publication=pub)
    with pytest.raises(PermissionDenied):
        services.publication_review(actor=org_tree["reviewer"], publication=pub, approve=True)
