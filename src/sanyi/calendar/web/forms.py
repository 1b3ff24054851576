"""The holiday-notice form: a notice file (docs/calendar.md) uploaded or pasted, or the
State Council notice's text pasted as published."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from sanyi.calendar.notice import Notice, load_json, parse_notice
from sanyi.calendar.prose import looks_like_prose, notice_data_from_prose
from sanyi.core.forms import DateInput

MAX_NOTICE_BYTES = 1024 * 1024


class NoticeForm(forms.Form):
    notice_file = forms.FileField(
        label="节假日安排文件",
        required=False,
        help_text="国务院办公厅通知整理成的文件（JSON格式，见使用说明“工作日历”一节），不超过1MB",
    )
    notice_text = forms.CharField(
        label="或粘贴文件内容",
        required=False,
        max_length=MAX_NOTICE_BYTES,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text="也可以直接粘贴国务院办公厅通知的原文（标题、各项安排和落款日期）",
    )
    year = forms.IntegerField(
        label="年份",
        required=False,
        min_value=1950,
        max_value=2200,
        help_text="粘贴的原文没有标题时填写，例如2027",
    )
    number = forms.CharField(
        label="发文字号",
        required=False,
        max_length=60,
        help_text="粘贴的原文没有文号时填写，例如国办发明电〔2026〕5号",
    )
    published_on = forms.DateField(
        label="发布日期",
        required=False,
        widget=DateInput,
        help_text="粘贴的原文没有落款日期时填写",
    )

    notice: Notice

    def _read(self) -> tuple[str, str] | None:
        upload = self.cleaned_data.get("notice_file")
        if upload is not None:
            if upload.size > MAX_NOTICE_BYTES:
                raise ValidationError(
                    {"notice_file": "文件超过1MB，不像是一年的节假日安排，请检查"}
                )
            try:
                return upload.read().decode("utf-8-sig"), upload.name
            except UnicodeDecodeError:
                raise ValidationError({"notice_file": "文件不是UTF-8编码的文字文件"}) from None
        text = (self.cleaned_data.get("notice_text") or "").strip()
        return (text, "粘贴的内容") if text else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        found = self._read()
        if found is None:
            raise ValidationError("请上传节假日安排文件，或粘贴文件内容")
        text, name = found
        field = "notice_file" if self.cleaned_data.get("notice_file") else "notice_text"
        try:
            data = self._data(text, name)
            self.notice = parse_notice(data)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None
        # What the preview carries to the confirmation: always the notice file form.
        self.cleaned_data["text"] = json.dumps(data, ensure_ascii=False, indent=2)
        return cleaned

    def _data(self, text: str, name: str) -> Any:
        if not looks_like_prose(text):
            return load_json(text, name)
        return notice_data_from_prose(
            text,
            year=self.cleaned_data.get("year"),
            number=self.cleaned_data.get("number") or "",
            published_on=self.cleaned_data.get("published_on"),
        )


class NoticeConfirmForm(forms.Form):
    """The checked notice carried back from the preview page, checked again on confirm."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_NOTICE_BYTES)

    notice: Notice

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        self.notice = parse_notice(load_json(text, "节假日安排"))
        return text
