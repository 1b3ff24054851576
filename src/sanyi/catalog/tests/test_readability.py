"""一看就懂, measured: sentence length, jargon from the plain-words glossary, stacked
bureaucratic phrases, and the score L022 holds guides to."""

import pytest

from sanyi.catalog import readability
from sanyi.catalog.lint import lint_guide
from sanyi.catalog.readability import THRESHOLD, guide_readability, plain_words, text_readability
from sanyi.catalog.tests import factories as f


def test_the_glossary_is_data_with_plain_replacements():
    words = {w.term: w.plain for w in plain_words()}
    assert len(words) >= 30
    assert words["不予受理"] == "不能办理"


def test_an_edited_glossary_is_read_again(settings, tmp_path):
    path = tmp_path / "words.csv"
    path.write_text("术语,通俗说法,说明\n报件,交材料,\n", encoding="utf-8")
    settings.SANYI_CATALOG_PLAIN_WORDS = str(path)
    assert text_readability(["请先报件。"]).jargon == [("报件", "交材料")]


def test_plain_short_sentences_score_full_marks():
    result = text_readability(["带上身份证。到窗口交表。当场拿证。"])
    assert result.score == 100 and result.sentences == 3 and result.longest == 5


def test_jargon_is_found_longest_first_with_its_plain_wording():
    result = text_readability(["材料不全的，不予受理。"])
    assert result.jargon == [("不予受理", "不能办理")]
    assert result.score == 100 - readability.JARGON_COST
    assert "“不予受理”可写作“不能办理”" in "；".join(result.causes())


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("请提交申请人的户籍的证明的复印件。", "申请人的户籍的证明的复印件"),
        ("窗口进行材料核对工作。", "进行材料核对工作"),
        ("窗口人员进行审核。", "进行审核"),
    ],
)
def test_stacked_phrases_are_found(text, phrase):
    assert any(phrase in found for found in text_readability([text]).stacked)


def test_long_sentences_cost_points():
    long_sentence = "申" * 90 + "。"
    result = text_readability([long_sentence])
    # 90 - 25 for the average, (90 - 60) / 2 for the longest
    assert (result.average_length, result.longest) == (90, 90)
    assert result.score == 100 - 65 - 15


def test_l021_warns_below_the_threshold_and_names_the_causes():
    stiff = f.good_guide(
        acceptance_conditions=(
            "对于申请人的户籍的证明的复印件不符合要求的不予受理，逾期不予许可，"
            "由窗口进行审核工作后予以办理并将核发的证照送达申请人并一次性告知"
            "申请人的法定代表人的委托代理人的有关情况。"
        )
    )
    assert guide_readability(stiff).score < THRESHOLD
    [finding] = [x for x in lint_guide(stiff, item_type="01") if x.code == "L022"]
    assert finding.severity == "warning" and "低于70分" in finding.message
    assert "不能办理" in finding.message
    assert not [x for x in lint_guide(f.good_guide(), item_type="01") if x.code == "L022"]


def test_the_shared_glossary_setting_wins_over_the_catalogue_one(settings, tmp_path):
    shared, old = tmp_path / "shared.csv", tmp_path / "old.csv"
    shared.write_text("术语,通俗说法,说明\n报件,交材料,\n", encoding="utf-8")
    old.write_text("术语,通俗说法,说明\n领证,拿证,\n", encoding="utf-8")
    settings.SANYI_CATALOG_PLAIN_WORDS = str(old)
    assert text_readability(["请先领证。"]).jargon == [("领证", "拿证")]
    settings.SANYI_PLAIN_WORDS = str(shared)
    assert text_readability(["请先报件，再领证。"]).jargon == [("报件", "交材料")]
