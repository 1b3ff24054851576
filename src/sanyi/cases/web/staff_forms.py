"""Forms of the back-office case pages: worklist filters and the action forms of a case.

The forms only parse what staff typed; every rule (who may act, which step follows, how the
clocks move) is checked again by the service the view calls, and its Chinese message is put
beside the field it names.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from sanyi.cases.choices import (
    CaseChannel,
    CaseStatus,
    Decision,
    DeliveryMethod,
    StopReason,
    TaskAction,
    VisitPurpose,
    WarningLevel,
)
from sanyi.core.forms import DateInput, LongSelect

# How far ahead "due within N days" may look; longer windows are just "all open".
MAX_DUE_WITHIN = 90
WORKLIST_STATUSES = [
    ("", "全部"),
    (CaseStatus.IN_PROGRESS, CaseStatus.IN_PROGRESS.label),
    (CaseStatus.SUSPENDED, CaseStatus.SUSPENDED.label),
]


class WorklistFilterForm(forms.Form):
    number = forms.CharField(label="办件编号或短号", max_length=60, required=False)
    item = forms.ChoiceField(label="事项", required=False, widget=LongSelect)
    status = forms.ChoiceField(label="办件状态", required=False, choices=WORKLIST_STATUSES)
    warning = forms.ChoiceField(
        label="预警",
        required=False,
        choices=[("", "全部"), *WarningLevel.choices],
    )
    due_within = forms.IntegerField(
        label="几个自然日内到期",
        required=False,
        min_value=0,
        max_value=MAX_DUE_WITHIN,
        help_text="填0只看今天及以前到期的",
    )
    accepted_from = forms.DateField(label="受理日期从", required=False, widget=DateInput)
    accepted_to = forms.DateField(label="受理日期到", required=False, widget=DateInput)
    channel = forms.ChoiceField(
        label="申请渠道", required=False, choices=[("", "全部"), *CaseChannel.choices]
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "全部事项"), *items]

    def clean_number(self):
        return self.cleaned_data["number"].strip()

    def clean(self):
        data = super().clean()
        start, end = data.get("accepted_from"), data.get("accepted_to")
        if start and end and start > end:
            self.add_error("accepted_to", "结束日期不能早于开始日期")
        return data

    def filters(self) -> dict:
        """The non-empty filters, as the worklist selector takes them."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        out = {}
        if data["number"]:
            out["number"] = data["number"]
        if data["item"]:
            out["item"] = int(data["item"])
        if data["status"]:
            out["case_status"] = data["status"]
        for key in ("warning", "channel"):
            if data[key]:
                out[key] = data[key]
        if data["due_within"] is not None:
            out["due_before"] = timezone.localdate() + dt.timedelta(days=data["due_within"])
        if data["accepted_from"]:
            out["accepted_from"] = data["accepted_from"]
        if data["accepted_to"]:
            out["accepted_to"] = data["accepted_to"]
        return out


class PeriodForm(forms.Form):
    start = forms.DateField(label="开始日期", required=False, widget=DateInput)
    end = forms.DateField(label="结束日期", required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "结束日期不能早于开始日期")
        return data


# --- actions on one case -------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of the action forms: a prefix keeps the field ids of the forms on one page apart,
    and ``action`` names the form so a failed post re-renders the right one."""

    action = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)


class TaskActForm(ActionForm):
    """The action on one open step. ``actions`` are those the step allows now
    (``selectors.task_actions``): only they are offered; a post of another still reaches
    the service, which refuses it with its reason."""

    action = "task"
    task_action = forms.ChoiceField(label="处理", choices=TaskAction.choices)
    opinion = forms.CharField(
        label="办理意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不同意、退回、要求补正、转交和填写意见时必须写明理由",
    )
    basis = forms.CharField(
        label="不予准予的法律依据",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅在“不同意”时填写；不填则引用办事指南所列的设定依据",
    )
    to_unit = forms.ChoiceField(
        label="转交单位",
        required=False,
        help_text="仅在“转交”时选择；单位按层级分组",
        # sanyi.js adds a filter box above a select marked data-filterable.
        widget=forms.Select(attrs={"data-filterable": "输入单位名称筛选"}),
    )

    def __init__(self, *args, units=(), actions=tuple(TaskAction.values), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].choices = [("", "—"), *units]
        self.fields["task_action"].widget.choices = [
            (value, label) for value, label in TaskAction.choices if value in actions
        ]
        if TaskAction.DISAGREE not in actions:
            del self.fields["basis"]
        if TaskAction.FORWARD not in actions:
            del self.fields["to_unit"]

    def clean(self):
        data = super().clean()
        action = data.get("task_action")
        if action and action != TaskAction.APPROVE and not (data.get("opinion") or "").strip():
            message = "不同意时请写明理由" if action == TaskAction.DISAGREE else "请填写办理意见"
            self.add_error("opinion", message)
        if action == TaskAction.FORWARD and "to_unit" in self.fields and not data.get("to_unit"):
            self.add_error("to_unit", "转交时请选择接收单位")
        return data


class ClockStopForm(ActionForm):
    action = "stop"
    reason = forms.ChoiceField(label="暂停原因", choices=StopReason.choices)
    note = forms.CharField(
        label="说明",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明需要暂停的具体事由，申请人能看到暂停原因",
    )


class ExtensionForm(ActionForm):
    action = "extend"
    days = forms.IntegerField(label="延长（工作日）", min_value=1, max_value=60)
    reason = forms.CharField(label="延期理由", max_length=2000, widget=forms.Textarea({"rows": 3}))
    requested_by = forms.ChoiceField(
        label="申请延期的承办人", help_text="批准人须是申请人以外的审批人员或监督人员"
    )

    def __init__(self, *args, requesters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_by"].choices = [("", "请选择"), *requesters]


class ConcludeForm(ActionForm):
    action = "conclude"
    decision = forms.ChoiceField(
        label="办结结果", choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="理由", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    basis = forms.CharField(
        label="法律依据", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    licence_name = forms.CharField(
        label="证照名称", max_length=200, required=False, help_text="准予时核发电子证照"
    )
    licence_valid_from = forms.DateField(label="有效期起", required=False, widget=DateInput)
    licence_valid_until = forms.DateField(
        label="有效期止", required=False, widget=DateInput, help_text="长期有效的不填"
    )
    licence_scope = forms.CharField(label="许可范围（项目）", max_length=500, required=False)

    def __init__(self, *args, issues_licence=False, licence_name="", **kwargs):
        super().__init__(*args, **kwargs)
        self.issues_licence = issues_licence
        if not issues_licence:
            for name in [n for n in self.fields if n.startswith("licence_")]:
                del self.fields[name]
        else:
            self.fields["licence_name"].initial = licence_name
            self.fields["licence_valid_from"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if self.issues_licence and data.get("decision") == Decision.APPROVE:
            if not (data.get("licence_name") or "").strip():
                self.add_error("licence_name", "准予许可时请填写证照名称")
            if not data.get("licence_valid_from"):
                self.add_error("licence_valid_from", "请填写有效期起始日期")
            start, end = data.get("licence_valid_from"), data.get("licence_valid_until")
            if start and end and end <= start:
                self.add_error("licence_valid_until", "有效期止须晚于有效期起")
        return data

    def licence(self) -> dict | None:
        data = self.cleaned_data
        if not self.issues_licence or data["decision"] != Decision.APPROVE:
            return None
        details = {"许可范围": data["licence_scope"]} if data.get("licence_scope") else {}
        return {
            "name": data["licence_name"].strip(),
            "valid_from": data["licence_valid_from"],
            "valid_until": data.get("licence_valid_until"),
            "details": details,
        }


class DeliveryForm(ActionForm):
    action = "deliver"
    method = forms.ChoiceField(
        label="出件方式", choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )
    window = forms.ChoiceField(label="出件窗口", required=False)
    recipient_name = forms.CharField(
        label="领取人/收件人", max_length=50, required=False, help_text="窗口领取时必填"
    )
    tracking_number = forms.CharField(
        label="邮件单号", max_length=60, required=False, help_text="邮寄送达时必填"
    )
    address = forms.CharField(label="送达地址", max_length=200, required=False)

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].choices = [("", "—"), *windows]

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == DeliveryMethod.WINDOW:
            if not data.get("window"):
                self.add_error("window", "窗口领取时请选择出件窗口")
            if not (data.get("recipient_name") or "").strip():
                self.add_error("recipient_name", "请填写领取人姓名")
        if method == DeliveryMethod.POST:
            if not (data.get("tracking_number") or "").strip():
                self.add_error("tracking_number", "邮寄送达时请填写邮件单号")
            if not (data.get("address") or "").strip():
                self.add_error("address", "邮寄送达时请填写送达地址")
        return data


class VisitForm(ActionForm):
    action = "visit"
    purpose = forms.ChoiceField(label="事由", choices=VisitPurpose.choices)
    window = forms.ChoiceField(label="接待窗口", required=False)

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].choices = [("", "—"), *windows]
