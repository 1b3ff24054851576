"""Forms of the notification pages (staff)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from sanyi.notify.models import Channel, DeliveryStatus, WebhookAudience


class DeliveryFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label="渠道", required=False, choices=[("", "全部"), *Channel.choices]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *DeliveryStatus.choices]
    )
    event = forms.ChoiceField(label="事件", required=False, choices=[("", "全部")])

    def __init__(self, *args: Any, events: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["event"]).choices = [
            ("", "全部"),
            *((e, e) for e in events),
        ]


class WebhookForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, help_text="接收方系统的名称")
    url = forms.URLField(
        assume_scheme="https",
        label="接收地址",
        max_length=500,
        help_text="接收方提供的 https 地址，收到 JSON 格式的 POST",
    )
    secret = forms.CharField(
        label="签名密钥",
        max_length=128,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="至少16个字符，与接收方约定，用于核对 X-Sanyi-Signature 签名。修改时留空表示不变",
    )
    events = forms.CharField(
        label="订阅事件",
        max_length=500,
        initial="*",
        help_text="英文逗号分隔；“*”表示全部，“case.*”表示 case. 开头的全部事件",
    )
    audience = forms.ChoiceField(label="消息对象", choices=WebhookAudience.choices)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
