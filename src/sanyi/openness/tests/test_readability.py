"""一看就懂 for publications: the same score, threshold and causes as the catalogue's
guides, on the record and review pages, as a warning that never blocks."""

import pytest
from django.urls import reverse

from sanyi.openness import services
from sanyi.openness.readability import body_paragraphs, publication_readability
from sanyi.openness.tests import factories as f
from sanyi.search.readability import THRESHOLD

pytestmark = pytest.mark.django_db

PLAIN = "<p>带上身份证。</p><p>到窗口交表。</p><ul><li>当场拿证</li></ul>"
JARGON = (
    "<p>申请人的户籍的证明的复印件须进行审核，材料不全的不予受理，"
    "一次性告知申请人，办结后予以送达。</p>"
)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def test_blocks_of_the_body_read_as_sentences():
    assert body_paragraphs(PLAIN).split("\n") == ["带上身份证。", "到窗口交表。", "当场拿证"]
    assert body_paragraphs("<p>甲&amp;乙</p>") == "甲&乙"


def test_a_plain_body_scores_full_marks(org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"], body=PLAIN)
    result = publication_readability(pub)
    assert result.score == 100 and result.sentences == 3


def test_jargon_and_stacked_phrases_lower_the_score_below_the_bar(org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"], body=JARGON)
    result = publication_readability(pub)
    assert result.score < THRESHOLD
    assert ("不予受理", "不能办理") in result.jargon
    assert "申请人的户籍的证明的复印件须进行审核" in result.stacked


def test_the_record_page_warns_with_the_causes_and_submitting_still_works(client, org_tree):
    writer = org_tree["writer"]
    pub = f.draft(org_tree["district"], actor=writer, body=JARGON)
    client.force_login(writer)
    page = client.get(reverse("workbench:openness:publication", args=[pub.pk])).content.decode()
    assert "通俗易懂程度" in page and f"{THRESHOLD}分达标" in page
    assert "“不予受理”可写作“不能办理”" in page and "不影响提交和发布" in page

    services.publication_submit(actor=writer, publication=pub)
    client.force_login(org_tree["reviewer"])
    review = client.get(reverse("workbench:openness:publication_review", args=[pub.pk]))
    assert "“不予受理”可写作“不能办理”" in review.content.decode()


def test_a_readable_record_says_so(client, org_tree):
    pub = f.draft(org_tree["district"], actor=org_tree["writer"], body=PLAIN)
    client.force_login(org_tree["writer"])
    page = client.get(reverse("workbench:openness:publication", args=[pub.pk])).content.decode()
    assert "可读性<strong>100分</strong>" in page and "达到通俗易懂的要求" in page
