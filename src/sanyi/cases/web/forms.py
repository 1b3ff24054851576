"""Forms of the applicant pages and the window (counter) pages of case handling.

Forms only parse and check the shape of input; every rule about cases is checked again by
``sanyi.cases.services``, whose ValidationErrors the views put back on these forms.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.applicants.models import ConsentScope
from sanyi.cases.choices import AcceptanceDecision, DeliveryMethod, MaterialStatus
from sanyi.cases.numbering import QUERY_CODE_ALPHABET, QUERY_CODE_LENGTH, normalise_case_number
from sanyi.cases.services import correction_days
from sanyi.core.forms import DateInput, LongSelect
from sanyi.core.ids import parse_applicant_id

# What an applicant may choose for receiving the result, in the order of the page.
DELIVERY_CHOICES = [
    (DeliveryMethod.WINDOW, "到受理窗口领取"),
    (DeliveryMethod.POST, "邮寄到家（免费）"),
    (DeliveryMethod.ELECTRONIC, "电子送达（在“我的办件”下载）"),
]


class ApplicationForm(forms.Form):
    """The application form of one item: the handling variant and the contact details; the
    materials checklist comes from the item version in force and is handled one by one."""

    variant = forms.ModelChoiceField(
        label="办理类型",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="不确定选哪一项，可以拨打指南上的咨询电话",
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        help_text="办理进度会发短信到这个号码",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    address = forms.CharField(
        label="联系地址",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    description = forms.CharField(
        label="申请说明",
        max_length=1000,
        required=False,
        help_text="选填，简单说明您要办的事，例如“给孩子办理入学需要的证明”",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    delivery_method = forms.ChoiceField(
        label="办好后怎么拿到结果",
        choices=DELIVERY_CHOICES,
        initial=DeliveryMethod.WINDOW,
        widget=forms.RadioSelect,
    )
    delivery_address = forms.CharField(
        label="邮寄地址",
        max_length=200,
        required=False,
        help_text="选择邮寄时填写，写清楚街道、门牌号",
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        variants = version.variants.all()
        if variants:
            self.fields["variant"].queryset = variants
            if len(variants) == 1 and not self.initial.get("variant"):
                self.initial["variant"] = variants[0].pk
        else:
            del self.fields["variant"]

    def clean(self):
        data = super().clean()
        if (
            data.get("delivery_method") == DeliveryMethod.POST
            and not data.get("delivery_address", "").strip()
        ):
            self.add_error("delivery_address", "选择邮寄时，请填写邮寄地址")
        return data

    def form_data(self) -> dict:
        """What goes into ``Case.form_data`` (the variant is a column of its own)."""
        data = self.cleaned_data
        return {
            "phone": data["phone"].strip(),
            "address": data.get("address", "").strip(),
            "description": data.get("description", "").strip(),
            "delivery_method": data["delivery_method"],
            "delivery_address": data.get("delivery_address", "").strip(),
        }

    @classmethod
    def initial_for(cls, case) -> dict:
        data = dict(case.form_data or {})
        data.setdefault("phone", case.applicant.phone)
        data.setdefault("address", case.applicant.address)
        data.setdefault("delivery_method", DeliveryMethod.WINDOW)
        if case.variant_id:
            data["variant"] = case.variant_id
        return data


class AgentForm(forms.Form):
    """Applying for someone else (代办): who, and the signed authorisation."""

    principal_id_number = forms.CharField(
        label="委托人证件号码",
        max_length=30,
        help_text="委托人的公民身份号码，或单位的统一社会信用代码",
    )
    principal_name = forms.CharField(label="委托人姓名或单位名称", max_length=100)
    document = forms.FileField(
        label="授权委托书",
        help_text="委托人签名（单位盖章）的授权委托书，PDF或照片（JPG、PNG）",
    )
    valid_until = forms.DateField(
        label="委托有效期至", required=False, widget=DateInput, help_text="不填则长期有效"
    )

    def clean_principal_id_number(self):
        try:
            return parse_applicant_id(self.cleaned_data["principal_id_number"]).number
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class MaterialUploadForm(forms.Form):
    file = forms.FileField(
        label="选择文件",
        help_text="PDF或照片（JPG、PNG），手机可以直接拍照上传",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,image/*"}),
    )


class WalletConsentForm(forms.Form):
    consent = forms.BooleanField(
        label="同意在这次申请中复用我以前提交过的材料和已取得的电子证照",
        required=False,
        help_text="只有您本人能看到这些材料；随时可以在“我的”页面撤回同意",
    )


class TrackForm(forms.Form):
    """The progress lookup: the case number (long or short) and one secret the applicant
    holds, the last 4 of the ID number or phone, or the receipt's query code. The receipt,
    the acceptance message and this form say the same (``TRACK_HOW``)."""

    number = forms.CharField(
        label="办件编号或短号",
        max_length=60,
        help_text="受理回执或短信上的8位短号，或完整的办件编号",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last4 = forms.CharField(
        label="查询码，或证件号码、手机号的后4位",
        min_length=4,
        max_length=QUERY_CODE_LENGTH,
        help_text="查询码印在受理回执上，也在受理短信里",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_number(self):
        return normalise_case_number(self.cleaned_data["number"])

    def clean_last4(self):
        value = "".join(self.cleaned_data["last4"].split()).upper()
        if len(value) == QUERY_CODE_LENGTH and all(c in QUERY_CODE_ALPHABET for c in value):
            return value
        if len(value) == 4 and value[:3].isdigit() and (value[3].isdigit() or value[3] == "X"):
            return value
        raise ValidationError(
            "请填写受理回执上的8位查询码，或证件号码、手机号的后4位（身份证号最后一位可以是X）"
        )

    @property
    def is_query_code(self) -> bool:
        return len(self.cleaned_data.get("last4", "")) == QUERY_CODE_LENGTH


# --- window (counter) ---------------------------------------------------------------------


class PrecheckForm(forms.Form):
    """One row per material to check: ok / to fix, and the problem in plain words."""

    reply_days = forms.IntegerField(
        label="补正期限（工作日）",
        min_value=1,
        max_value=60,
        required=False,
        help_text="不填按默认期限",
    )

    def __init__(self, *args, materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "reply_days"
        ].help_text = f"不填按默认{correction_days()}个工作日，从今天起算，节假日不计"
        self.materials = list(materials)
        for m in self.materials:
            self.fields[f"status_{m.pk}"] = forms.ChoiceField(
                label=f"{m.name}：审核结果",
                choices=[(MaterialStatus.OK, "合格"), (MaterialStatus.TO_FIX, "需补正")],
                initial=MaterialStatus.OK,
                widget=forms.RadioSelect,
            )
            self.fields[f"problem_{m.pk}"] = forms.CharField(
                label=f"{m.name}：问题说明",
                max_length=500,
                required=False,
                help_text="需补正时必填，写清楚问题和怎么改，例如“照片不清楚，请重新拍摄第2页”",
            )

    def rows(self):
        return [(m, self[f"status_{m.pk}"], self[f"problem_{m.pk}"]) for m in self.materials]

    def clean(self):
        data = super().clean()
        for m in self.materials:
            status = data.get(f"status_{m.pk}")
            problem = data.get(f"problem_{m.pk}", "").strip()
            if status == MaterialStatus.TO_FIX and not problem:
                self.add_error(f"problem_{m.pk}", "请写明这份材料的问题，申请人才知道怎么改")
        return data

    def results(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "material": m,
                "status": data[f"status_{m.pk}"],
                "problem": data.get(f"problem_{m.pk}", "").strip(),
            }
            for m in self.materials
        ]

    def has_problems(self) -> bool:
        return any(r["status"] == MaterialStatus.TO_FIX for r in self.results())


def item_choices(options) -> list[tuple[str, str]]:
    """``options``: (item, variant or None) pairs → select choices "item pk[:variant pk]"."""
    choices = []
    for item, variant in options:
        label = f"{item.base_item.name}（{item.implementation_code}）"
        value = str(item.pk)
        if variant is not None:
            label = f"{item.base_item.name}：{variant.name}（{item.implementation_code}）"
            value = f"{item.pk}:{variant.pk}"
        choices.append((value, label))
    return choices


class WalkInForm(forms.Form):
    """Step 1 at the window: who applies and for which item (and handling variant)."""

    id_number = forms.CharField(
        label="申请人证件号码",
        max_length=30,
        help_text="公民身份号码或统一社会信用代码，可用读卡器录入",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    name = forms.CharField(label="姓名或单位名称", max_length=100)
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        help_text="申请人本人到场并核验身份证件原件后填写；与登记的不同时将更换登记的手机号"
        "（也是申请人登录用的手机号），代办时不会更改",
    )
    item = forms.ChoiceField(
        label="办理事项", help_text="输入事项名称或编码搜索", widget=LongSelect
    )
    confirm_name = forms.BooleanField(
        label="已核对证件，按登记信息受理（登记信息不会被修改）",
        required=False,
        help_text="只在填写的姓名与该证件号码登记的不一致时需要勾选",
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        choices = item_choices(options)
        self.options = dict(zip([value for value, _ in choices], options, strict=True))
        self.fields["item"].choices = [("", "请选择事项"), *choices]

    def clean_id_number(self):
        try:
            return parse_applicant_id(self.cleaned_data["id_number"]).number
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean_item(self):
        """(item, variant or None)."""
        return self.options[self.cleaned_data["item"]]


class WalkInCancelForm(forms.Form):
    reason = forms.CharField(
        label="作废原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：证件号码录错、事项选错。作废后办件不再出现在待办中，作废记录会留存",
    )


class WalkInAgentForm(forms.Form):
    """Optional part of step 1: someone applies on the applicant's behalf (代办)."""

    agent_id_number = forms.CharField(label="代办人公民身份号码", max_length=30, required=False)
    agent_name = forms.CharField(label="代办人姓名", max_length=100, required=False)
    agent_document = forms.FileField(
        label="授权委托书（扫描件或照片）",
        required=False,
        help_text="委托人签名（单位盖章）的授权委托书，PDF、JPG或PNG",
    )

    def clean_agent_id_number(self):
        value = self.cleaned_data["agent_id_number"].strip()
        if not value:
            return ""
        try:
            return parse_applicant_id(value).number
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean(self):
        data = super().clean()
        given = [bool(data.get(k)) for k in ("agent_id_number", "agent_name", "agent_document")]
        if any(given) and not all(given):
            raise ValidationError("代办须同时填写代办人证件号码、姓名并上传授权委托书")
        return data

    @property
    def has_agent(self) -> bool:
        return bool(self.cleaned_data.get("agent_id_number"))


class CaseNumberForm(forms.Form):
    number = forms.CharField(
        label="网上预审件办件编号或短号",
        max_length=60,
        help_text="申请人出示的办件编号或8位短号",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split()).upper()


class AcceptanceForm(forms.Form):
    """Step 2 at the window: materials received, and the decision."""

    decision = forms.ChoiceField(
        label="受理决定",
        choices=AcceptanceDecision.choices,
        initial=AcceptanceDecision.ACCEPT,
        widget=forms.RadioSelect,
    )
    follow_up_on = forms.DateField(
        label="容缺材料补交期限",
        required=False,
        widget=DateInput,
        help_text="容缺受理时必填：未收到的材料最迟哪天补交",
    )
    reason = forms.CharField(
        label="不予受理理由",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    basis = forms.CharField(
        label="不予受理的法律依据",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    eligibility_override = forms.BooleanField(
        label="已核实，仍然受理",
        required=False,
        help_text="申请人不符合受理条件规则时，核实情况后仍要受理请勾选；系统会记录",
    )

    def __init__(self, *args, case, materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.materials = list(materials)
        for m in self.materials:
            already = m.status == MaterialStatus.OK
            self.fields[f"received_{m.pk}"] = forms.BooleanField(
                label=f"收到：{m.name}", required=False, initial=already
            )
            self.fields[f"problem_{m.pk}"] = forms.CharField(
                label=f"{m.name}：问题说明",
                max_length=500,
                required=False,
                help_text="一次性告知补正时写明问题",
            )

    def rows(self):
        return [(m, self[f"received_{m.pk}"], self[f"problem_{m.pk}"]) for m in self.materials]

    def received(self) -> list:
        return [m for m in self.materials if self.cleaned_data.get(f"received_{m.pk}")]

    def missing(self) -> list:
        return [
            m
            for m in self.materials
            if m.required and not self.cleaned_data.get(f"received_{m.pk}")
        ]

    def problems(self) -> dict:
        return {
            m.pk: self.cleaned_data.get(f"problem_{m.pk}", "").strip()
            for m in self.materials
            if self.cleaned_data.get(f"problem_{m.pk}", "").strip()
        }

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == AcceptanceDecision.ACCEPT and self.missing():
            names = "、".join(m.name for m in self.missing())
            self.add_error(
                "decision",
                f"还有必要材料未收到（{names}），可选择“容缺受理”或“一次性告知补正”",
            )
        if decision == AcceptanceDecision.ACCEPT_WITH_DEFICIENCY:
            if not self.missing():
                self.add_error("decision", "材料已齐全，请直接选择“受理”")
            follow_up = data.get("follow_up_on")
            if not follow_up:
                self.add_error("follow_up_on", "容缺受理须写明补交期限")
            elif follow_up <= timezone.localdate():
                self.add_error("follow_up_on", "补交期限应晚于今天")
        if decision == AcceptanceDecision.CORRECTION_NOTICE and not (
            self.missing() or self.problems()
        ):
            self.add_error("decision", "一次性告知须列出缺少或有问题的材料")
        if decision == AcceptanceDecision.REJECT:
            if not data.get("reason", "").strip():
                self.add_error("reason", "不予受理须写明理由")
            if not data.get("basis", "").strip():
                self.add_error("basis", "不予受理须写明法律依据")
        return data


class DeliveryForm(forms.Form):
    recipient_name = forms.CharField(
        label="领取人姓名",
        max_length=50,
        help_text="本人领取填申请人姓名；代领的，核对代领人身份证件后填写代领人姓名",
    )


class CounterConsentForm(forms.Form):
    """The applicant's reuse consent recorded at the window (the applicant is present)."""

    action = forms.ChoiceField(
        label="办理",
        choices=[("grant", "同意复用"), ("withdraw", "撤回同意")],
        widget=forms.HiddenInput,
    )
    scope = forms.ChoiceField(
        label="同意复用的范围",
        choices=ConsentScope.choices,
        initial=ConsentScope.ALL,
        required=False,
        widget=forms.RadioSelect,
    )
    id_seen = forms.BooleanField(
        label="申请人本人在窗口，我已核对其本人身份证件，并向其说明了复用的内容",
        error_messages={"required": "请先核对申请人本人的身份证件并勾选确认：复用授权须本人办理"},
    )
