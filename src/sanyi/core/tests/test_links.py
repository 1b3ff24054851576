"""One rule for links staff type in: http(s) or relative, nothing a browser would run."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from sanyi.core.links import (
    PK_MARK,
    is_safe_link,
    link_problem,
    pk_filler,
    reverse_per_pk,
    validate_link,
)

SAFE = [
    "https://zwfw.example.gov.cn/item/1",
    "http://example.com",
    "/guide/1/",
    "?q=低保",
    "#materials",
    "guide/1",
]
UNSAFE = [
    "javascript:alert(document.domain)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.com/",
    "//evil.example.com/",
    "\\\\evil.example.com",
    "http:evil",
]


@pytest.mark.parametrize("value", SAFE)
def test_http_https_and_relative_links_are_safe(value):
    assert link_problem(value) is None


@pytest.mark.parametrize("value", UNSAFE)
def test_other_schemes_and_tricks_are_refused(value):
    assert link_problem(value)
    assert not is_safe_link(value)


def test_absolute_links_can_be_required():
    assert link_problem("/guide/1/", absolute=True)
    assert link_problem("https://example.com/", absolute=True) is None


def test_validation_error_names_the_field_in_chinese():
    with pytest.raises(ValidationError) as exc:
        validate_link("javascript:alert(1)", field="online_url", label="网办地址")
    message = exc.value.message_dict["online_url"][0]
    assert message.startswith("网办地址") and "javascript" in message


@pytest.mark.parametrize("value", UNSAFE)
def test_safe_url_filter_never_renders_an_unsafe_href(value):
    html = Template('{% load core_links %}<a href="{{ v|safe_url }}">').render(
        Context({"v": value})
    )
    assert html == '<a href="#">'


def test_safe_url_filter_keeps_good_links():
    html = Template('{% load core_links %}<a href="{{ v|safe_url }}">').render(
        Context({"v": "https://example.com/?a=1&b=2"})
    )
    assert html == '<a href="https://example.com/?a=1&amp;b=2">'


def test_reverse_per_pk_gives_what_reverse_gives_for_every_pk():
    case_url = reverse_per_pk("workbench:cases:work_case")
    claim_url = reverse_per_pk("workbench:cases:work_case_action", "claim")
    for pk in (1, 7, 42, 2_147_483_646, PK_MARK):
        assert case_url(pk) == reverse("workbench:cases:work_case", args=[pk])
        assert claim_url(pk) == reverse("workbench:cases:work_case_action", args=[pk, "claim"])
    assert pk_filler("") is None and pk_filler("/no/pk/here/") is None
