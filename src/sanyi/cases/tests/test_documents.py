"""The receipt and the decision letter are real PDFs with extractable Chinese text."""

import io

import pytest
from pypdf import PdfReader

from sanyi.cases import documents
from sanyi.cases.numbering import query_code_for
from sanyi.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


def test_receipt_shows_number_masked_applicant_dates_and_code(w):
    case = f.case(w, state="in_progress")
    pdf = documents.receipt_pdf(case, base_url="https://zwfw.example.gov.cn")
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "受理回执" in text
    assert case.number in text
    assert query_code_for(case.number) in text
    assert case.applicant.masked_id in text
    assert case.applicant.id_number not in text  # never the full number
    assert case.implementation_item.base_item.name in text
    d = case.promised_due_on
    assert f"{d.year}年{d.month}月{d.day}日" in text
    # The QR code (SVG) leads to the public progress page with the number and code.
    url = documents.receipt_track_url(case, base_url="https://zwfw.example.gov.cn")
    assert url.startswith("https://zwfw.example.gov.cn/")
    assert case.number in url and query_code_for(case.number) in url
    html = documents.receipt_html(case, base_url="https://zwfw.example.gov.cn")
    assert 'src="data:image/svg+xml' in html


def test_receipt_only_for_accepted_cases(w):
    case = f.case(w, state="awaiting")
    with pytest.raises(ValueError):
        documents.receipt_pdf(case)


def test_result_letter_of_an_approved_licence(w):
    case = f.case(w, state="concluded")
    doc = case.documents.get()
    text = _text(doc.file.read())
    assert "准予决定书" in text and case.licence.number in text
