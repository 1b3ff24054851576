"""A reply that grants the information carries it (files, published documents, paper),
the applicant downloads the files, the letter lists them; consultations with other
agencies and third parties stop the clock from the right days."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from sanyi.annual_reports.compute import compute_report
from sanyi.audit.models import AuditEvent
from sanyi.calendar.tests.factories import official_calendar
from sanyi.core.pdf import render_pdf
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import (
    ClockState,
    OpinionDelivery,
    Outcome,
    PaperMethod,
    RequestStatus,
)
from sanyi.disclosure_requests.clocks import request_clock
from sanyi.disclosure_requests.services.carriers import NO_CARRIER
from sanyi.disclosure_requests.tests import factories as f

D = dt.date
NOV_2, NOV_10 = D(2026, 11, 2), D(2026, 11, 10)


@pytest.fixture
def org_tree(db):
    official_calendar()
    return f.setting()


def _pdf(name="公开信息.pdf") -> SimpleUploadedFile:
    body = render_pdf("<html lang='zh'><body><p>最低生活保障资金发放名单</p></body></html>")
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _received(org_tree, on=NOV_2):
    return f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=on)


def _reply(org_tree, r, outcome=Outcome.DISCLOSE, carriers=None, on=NOV_10):
    return services.request_reply(
        actor=org_tree["officer"], request=r, outcome=outcome, text="全文见附件。", on=on,
        carriers=carriers or services.Carriers(),
    )  # fmt: skip


def test_a_grant_without_any_carrier_is_refused_in_plain_chinese(org_tree):
    r = _received(org_tree)
    with pytest.raises(ValidationError) as exc:
        _reply(org_tree, r)
    assert NO_CARRIER in exc.value.message_dict["files"]
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS and not r.reply_files.exists()


def test_a_file_that_is_not_what_its_name_says_is_refused_naming_it(org_tree):
    r = _received(org_tree)
    fake = SimpleUploadedFile("名单.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as exc:
        _reply(org_tree, r, carriers=services.Carriers(files=[fake]))
    assert "第1个文件“名单.pdf”不是允许的类型" in exc.value.message_dict["files"][0]


def test_a_file_over_the_size_limit_is_refused(org_tree, settings):
    settings.SANYI_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as exc:
        _reply(org_tree, _received(org_tree), carriers=services.Carriers(files=[big]))
    assert "超过1MB" in exc.value.message_dict["files"][0]


def test_a_refusal_carries_nothing(org_tree):
    with pytest.raises(ValidationError) as exc:
        _reply(
            org_tree, _received(org_tree), outcome=Outcome.WITHHOLD_THIRD_PARTY,
            carriers=services.Carriers(paper_method=PaperMethod.POST, paper_on=D(2026, 11, 10)),
        )  # fmt: skip
    assert "只有予以公开或部分公开的答复才附上信息" in exc.value.message_dict["files"][0]


def test_paper_delivery_needs_its_date(org_tree):
    with pytest.raises(ValidationError) as exc:
        _reply(
            org_tree, _received(org_tree),
            carriers=services.Carriers(paper_method=PaperMethod.POST),
        )  # fmt: skip
    assert exc.value.message_dict["paper_on"] == ["请填写纸质信息送达（或约定领取）的日期"]


def test_the_letter_lists_the_file_and_the_paper_and_the_status_reads_final(org_tree):
    r = _received(org_tree)
    r.due_provisional = True  # as if the due date's year had no holiday notice yet
    r.save(update_fields=["due_provisional"])
    carriers = services.Carriers(
        files=[_pdf("2026年低保资金发放名单.pdf")],
        paper_method=PaperMethod.POST, paper_on=D(2026, 11, 10), paper_note="EMS1234567890",
    )  # fmt: skip

    r = _reply(org_tree, r, carriers=carriers)

    assert r.status == RequestStatus.REPLIED
    item = r.reply_files.get()
    assert item.content_type == "application/pdf" and item.size > 0
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.reply_letter.read())).pages)
    flat = "".join(text.split())
    assert "2026年低保资金发放名单.pdf" in flat
    assert "纸质信息：邮寄" in flat and "EMS1234567890" in flat
    # the clock of a sent reply is final, never "已办结（暂定）"
    clock = request_clock(r, D(2026, 11, 11))
    assert clock.state == ClockState.DONE and clock.provisional is False


def test_a_published_document_is_stored_as_a_reference_and_listed(org_tree):
    from django.utils import timezone

    from sanyi.openness.models import Publication

    pub = Publication.objects.create(
        publisher=org_tree["agency"], title="示范区最低生活保障标准", status="published",
        publish_at=timezone.now() - dt.timedelta(days=1), index_number="TEST-2026-0001",
    )  # fmt: skip
    r = _reply(org_tree, _received(org_tree), carriers=services.Carriers(publications=[pub.pk]))
    ref = r.reply_publications.get()
    assert ref.publication_id == pub.pk and ref.title == "示范区最低生活保障标准"
    with pytest.raises(ValidationError) as exc:
        _reply(org_tree, _received(org_tree), carriers=services.Carriers(publications=[999999]))
    assert "编号 999999" in exc.value.message_dict["publications"][0]


def _tracked_client(r) -> Client:
    from sanyi.disclosure_requests.web.public import TRACKED_KEY

    client = Client()
    session = client.session
    session[TRACKED_KEY] = [r.pk]
    session.save()
    return client


def test_the_applicant_downloads_the_file_and_another_applicant_gets_404(org_tree):
    r = _reply(org_tree, _received(org_tree), carriers=services.Carriers(files=[_pdf()]))
    other = _reply(org_tree, _received(org_tree), carriers=services.Carriers(files=[_pdf()]))
    item = r.reply_files.get()
    url = f"/open/requests/r/{r.number}/files/{item.pk}/"

    mine = _tracked_client(r)
    page = mine.get(f"/open/requests/r/{r.number}/").content.decode()
    response = mine.get(url)
    stranger = _tracked_client(other).get(url)
    wrong_file = mine.get(f"/open/requests/r/{r.number}/files/{other.reply_files.get().pk}/")

    assert url in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert stranger.status_code == 404 and wrong_file.status_code == 404
    assert Client().get(url).status_code == 404
    downloads = AuditEvent.objects.filter(action="disclosure_request.file_download")
    assert downloads.count() == 1


def test_staff_in_scope_download_and_outsiders_get_404(org_tree):
    r = _reply(org_tree, _received(org_tree), carriers=services.Carriers(files=[_pdf()]))
    url = f"/workbench/open/requests/{r.pk}/files/{r.reply_files.get().pk}/"
    inside, outside = Client(), Client()
    inside.force_login(org_tree["supervisor"])
    outside.force_login(org_tree["outsider"])
    assert inside.get(url).status_code == 200
    assert outside.get(url).status_code == 404


def test_the_annual_report_counts_a_carried_reply_as_any_other(org_tree):
    before = compute_report(unit=org_tree["district"], year=2026, today=D(2026, 12, 31))
    _reply(org_tree, _received(org_tree), carriers=services.Carriers(files=[_pdf()]))
    plain = _received(org_tree)
    _reply(org_tree, plain, carriers=f.carrying(Outcome.DISCLOSE, on=D(2026, 11, 10)))
    after = compute_report(unit=org_tree["district"], year=2026, today=D(2026, 12, 31))
    old_cells, new_cells = before["cells"], after["cells"]
    changed = {k: (old_cells.get(k), v) for k, v in new_cells.items() if old_cells.get(k) != v}
    # both replies count once each as 予以公开, whatever they carry
    assert any(".disclose." in k for k in changed), changed
    for _key, (old, new) in changed.items():
        assert new - (old or 0) == 2


# Consultations --------------------------------------------------------------------------


def test_an_agency_consultation_over_national_day_moves_the_due_date(org_tree):
    # received Mon 21 Sep 2026: 20 working days (中秋, 国庆 and the 10 Oct make-up day
    # counted as the 2026 notice says) give 26 Oct
    r = _received(org_tree, on=D(2026, 9, 21))
    assert r.reply_due_on == D(2026, 10, 26)

    services.request_agency_consultation_start(
        actor=org_tree["officer"], request=r, agency="区自然资源局",
        question="该宗地的征收批复是否可以公开", on=D(2026, 9, 24),
    )  # fmt: skip
    services.request_agency_consultation_end(
        actor=org_tree["officer"], request=r, answer="同意公开", on=D(2026, 10, 9)
    )

    r.refresh_from_db()
    # 25 Sep … 9 Oct holds 5 working days (28, 29, 30 Sep, 8, 9 Oct): due 26 Oct + 5
    assert r.reply_due_on == D(2026, 11, 2)
    assert r.status == RequestStatus.IN_PROGRESS
    stop = r.stops.get()
    assert stop.kind == "agency" and stop.answer == "同意公开"
    kinds = list(r.events.values_list("kind", flat=True))
    assert "agency_consult_started" in kinds and "agency_consult_ended" in kinds


def test_an_agency_consultation_needs_the_agency_and_the_question(org_tree):
    r = _received(org_tree)
    with pytest.raises(ValidationError) as exc:
        services.request_agency_consultation_start(
            actor=org_tree["officer"], request=r, agency=" ", question="", on=D(2026, 11, 3)
        )
    assert set(exc.value.message_dict) == {"agency", "question"}


def test_third_party_days_run_from_the_day_it_received_the_request(org_tree):
    r = _received(org_tree, on=D(2026, 9, 21))
    stop = services.request_consultation_start(
        actor=org_tree["officer"], request=r, party="某物业服务企业", on=D(2026, 9, 24),
        delivery_method=OpinionDelivery.POST, tracking_number="EMS1", delivered_on=D(2026, 9, 28),
    )  # fmt: skip
    # 15 working days after 28 Sep, across 国庆 and the 10 Oct make-up day
    assert stop.expected_end_on == D(2026, 10, 23)
    assert stop.started_on == D(2026, 9, 24)


def test_post_delivery_needs_a_tracking_number_and_a_receipt_not_before_sending(org_tree):
    r = _received(org_tree)
    with pytest.raises(ValidationError) as exc:
        services.request_consultation_start(
            actor=org_tree["officer"], request=r, party="某公司", on=D(2026, 11, 5),
            delivery_method=OpinionDelivery.POST, delivered_on=D(2026, 11, 4),
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"tracking_number", "delivered_on"}


def test_the_letter_names_the_consulted_agency(org_tree):
    r = _received(org_tree)
    services.request_agency_consultation_start(
        actor=org_tree["officer"], request=r, agency="区自然资源局", question="可否公开",
        on=D(2026, 11, 3),
    )  # fmt: skip
    r = _reply(org_tree, r, carriers=f.carrying(on=D(2026, 11, 10)))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.reply_letter.read())).pages)
    assert "区自然资源局" in "".join(text.split())
