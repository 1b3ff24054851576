"""The shared error summary (``{% error_summary %}``), the field partial's ARIA wiring,
refusals shown after a redirect, and service errors put onto a form."""

from __future__ import annotations

from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core.exceptions import ValidationError
from django.template import engines

from sanyi.core.forms import apply_service_errors


class SampleForm(forms.Form):
    name = forms.CharField(label="名称", help_text="写全称")
    kind = forms.ChoiceField(
        label="类别", choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


def test_summary_lists_refusals_first_then_each_field_as_a_link():
    form = SampleForm(data={"name": "", "token": "x"})
    form.is_valid()
    apply_service_errors(form, ValidationError({"status": "办件已办结", "token": "已过期"}))

    html = render("{% load core_forms %}{% error_summary form %}", form=form)

    assert 'id="error-summary"' in html and 'role="alert"' in html and 'tabindex="-1"' in html
    assert "请修改以下4处问题后重新提交" in html
    assert html.index("<li>办件已办结</li>") < html.index('<a href="#id_name">')
    assert '<a href="#id_name">名称：该字段是必填项。</a>' in html
    # radios: the link goes to the first choice; a hidden field has nothing to link to
    assert '<a href="#id_kind_0">类别：' in html
    assert "<li>已过期</li>" in html


def test_no_summary_for_an_unbound_or_valid_form():
    valid = SampleForm(data={"name": "甲", "kind": "a"})
    assert valid.is_valid()
    html = render(
        "{% load core_forms %}{% error_summary blank valid %}", blank=SampleForm(), valid=valid
    )
    assert html.strip() == ""


def test_several_forms_share_one_summary():
    one, two = SampleForm(data={}, prefix="one"), SampleForm(data={}, prefix="two")
    html = render("{% load core_forms %}{% error_summary one two %}", one=one, two=two)
    assert html.count('id="error-summary"') == 1
    assert 'href="#id_one-name"' in html and 'href="#id_two-name"' in html


def test_service_error_named_differently_goes_onto_the_field():
    form = SampleForm(data={"name": "甲", "kind": "a"})
    form.is_valid()
    apply_service_errors(
        form, ValidationError({"category": "不能选这一类"}), fields={"category": "kind"}
    )
    assert form.errors["kind"] == ["不能选这一类"]
    assert not form.non_field_errors()


def test_field_with_an_error_is_invalid_and_described_by_its_message():
    form = SampleForm(data={"name": ""})
    form.is_valid()
    html = render('{% include "sanyi/_field.html" with field=form.name %}', form=form)
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<div id="id_name_error">' in html


def test_radios_sit_in_a_fieldset_described_by_their_error():
    form = SampleForm(data={"name": "甲"})
    form.is_valid()
    html = render('{% include "sanyi/_field.html" with field=form.kind %}', form=form)
    assert '<fieldset class="field choice-field" aria-describedby="id_kind_error">' in html
    assert "<legend" in html and 'for="id_kind_0"' in html


def test_refusals_after_a_redirect_are_an_alert_the_page_focuses():
    messages = [Message(constants.SUCCESS, "已保存。"), Message(constants.ERROR, "您不能办理")]
    html = render('{% include "sanyi/_messages.html" %}', messages=messages)
    alert = html[: html.index("</div>")]
    assert "data-error-summary" in alert and 'role="alert"' in alert and "您不能办理" in alert
    assert "已保存。" not in alert and 'role="status"' in html
