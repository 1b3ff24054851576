"""Flowchart drawing and the time-limit arithmetic shown at the top of a guide."""

import re
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from sanyi.catalog.flowchart import FlowStep, flowchart_svg, wrap
from sanyi.catalog.public import saved_percent, visits_text

cjk_text = st.text(
    alphabet=st.sampled_from("受理审核决定送达街道社区窗口民政局ABC123（）、，"), max_size=80
)


@given(text=cjk_text, ems=st.integers(min_value=2, max_value=30))
def test_wrapped_lines_fit_and_keep_every_character(text, ems):
    lines = wrap(text, ems)

    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        width = sum(0.55 if ord(c) < 0x2E80 else 1.0 for c in line)
        assert width <= ems


@given(
    statutory=st.integers(min_value=1, max_value=3650),
    promised=st.integers(min_value=0, max_value=3650),
)
@example(statutory=2750, promised=1155)  # exactly 58%: a float reference said 57.999…
def test_saved_percent_never_claims_more_than_was_cut(statutory, promised):
    pct = saved_percent(statutory, promised)

    if promised >= statutory:
        assert pct is None
    else:
        true_share = Fraction(statutory - promised, statutory) * 100  # exact, no float error
        assert 0 <= pct <= true_share < pct + 1


def test_half_the_statutory_time_is_fifty_percent():
    assert saved_percent(20, 10) == 50
    assert saved_percent(None, 10) is None
    assert saved_percent(20, None) is None


def test_visits_in_plain_words():
    assert visits_text(0).startswith("不用跑")
    assert visits_text(1) == "最多跑1次"
    assert visits_text(2) == "需到现场2次"


def test_svg_names_itself_and_escapes_text():
    svg = str(
        flowchart_svg(
            [FlowStep("受理<b>", "窗口", "区", "1个工作日"), FlowStep("决定")],
            title="流程图",
            description="共2个环节",
            id_prefix="t",
        )
    )

    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="t-title t-desc"' in svg
    assert '<title id="t-title">流程图</title>' in svg
    assert "<b>" not in svg and "受理&lt;b&gt;" in svg
    assert "办理：窗口，区" in svg and "时限：1个工作日" in svg
    assert len(re.findall(r'class="flow-arrow"', svg)) == 1  # one arrow between two boxes
    assert "style=" not in svg  # the CSP forbids inline styles


def test_no_steps_draw_nothing():
    assert flowchart_svg([], title="x", description="y") == ""
