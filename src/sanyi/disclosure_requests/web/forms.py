"""Forms of the request pages: they parse what people type and leave every rule to
``disclosure_requests.services`` (the service's Chinese errors land next to the field)."""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.applicants.models import ApplicantKind, OrganisationCategory
from sanyi.core.ids import IdKind, parse_applicant_id
from sanyi.disclosure_requests import choices as c
from sanyi.orgs.models import OrgKind, OrgUnit

# The bodies that answer requests: the district government, its departments and the
# subdistricts (townships). Communities are not administrative organs (Art. 10).
ANSWERING_KINDS = (OrgKind.DISTRICT, OrgKind.DEPARTMENT, OrgKind.SUBDISTRICT)
REQUEST_NUMBER_MAX = 40


class DateInput(forms.DateInput):
    """A date picker. Its value must be ISO (YYYY-MM-DD) whatever the active locale's date
    format, or the browser shows the field empty."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


def answering_agencies():
    return OrgUnit.objects.filter(kind__in=ANSWERING_KINDS, is_active=True).order_by("path")


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


def outcome_choices(*, blank: bool = True) -> list:
    """The outcomes grouped as the annual report groups them (section 三)."""
    groups: dict[str, list] = {}
    for code, label in c.Outcome.choices:
        group = c.OutcomeGroup(c.outcome_group(code)).label
        groups.setdefault(group, []).append((code, label))
    options = list(groups.items())
    return ([("", "请选择办理结果")] if blank else []) + options


def _not_in_future(value: dt.date | None, label: str) -> dt.date | None:
    if value and value > timezone.localdate():
        raise ValidationError(f"{label}不能晚于今天")
    return value


class ApplicantFields(forms.Form):
    """Who asks: a person or an organisation (with its report category), one ID number."""

    kind = forms.ChoiceField(
        label="申请人类型",
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        initial=ApplicantKind.PERSON,
    )
    organisation_category = forms.ChoiceField(
        label="组织类别",
        choices=[("", "（自然人不用选）"), *OrganisationCategory.choices],
        required=False,
        help_text="法人或其他组织请选择；自然人不用选",
    )
    name = forms.CharField(label="姓名或单位名称", max_length=100)
    id_number = forms.CharField(
        label="证件号码",
        max_length=30,
        help_text="自然人填18位公民身份号码；法人或其他组织填18位统一社会信用代码",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="电子邮箱（选填）",
        required=False,
        help_text="填写后，办理进度和答复也会发到这个邮箱",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label="通信地址（选填）",
        max_length=200,
        required=False,
        help_text="需要邮寄纸质答复的，请填写",
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    postal_code = forms.CharField(
        label="邮政编码（选填）",
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    def clean_id_number(self):
        try:
            return parse_applicant_id(self.cleaned_data["id_number"]).number
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if code and (len(code) != 6 or not code.isdigit()):
            raise ValidationError("邮政编码应为6位数字")
        return code

    def clean_phone(self):
        phone = "".join(self.cleaned_data["phone"].split())
        digits = phone.replace("-", "")
        if not digits.isdigit() or not 7 <= len(digits) <= 15:
            raise ValidationError("联系电话应为手机号码或带区号的固定电话")
        return phone

    def clean(self):
        data = super().clean()
        kind, number = data.get("kind"), data.get("id_number")
        if kind and number:
            parsed_kind = parse_applicant_id(number).kind
            if kind == ApplicantKind.PERSON and parsed_kind != IdKind.RESIDENT:
                self.add_error("id_number", "自然人请填写18位公民身份号码")
            if kind == ApplicantKind.ORGANISATION and parsed_kind == IdKind.RESIDENT:
                self.add_error("id_number", "法人或其他组织请填写统一社会信用代码")
        if kind == ApplicantKind.ORGANISATION and not data.get("organisation_category"):
            self.add_error("organisation_category", "请选择组织类别")
        if kind == ApplicantKind.PERSON:
            data["organisation_category"] = ""
        return data


class RequestContentFields(forms.Form):
    agency = AgencyChoiceField(
        label="向哪个机关申请",
        queryset=OrgUnit.objects.none(),
        empty_label="请选择机关",
        help_text="选择掌握这条信息的机关；不清楚时可以选择区人民政府",
    )
    description = forms.CharField(
        label="所需信息的内容描述",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写清楚文件名称、文号，或者能找到这条信息的其他特征，例如时间、地点、事项",
    )
    purpose = forms.CharField(
        label="用途（选填）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = answering_agencies()


class RequestForm(ApplicantFields, RequestContentFields):
    """The online request form (the applicant's own submission)."""

    delivery_form = forms.ChoiceField(label="希望以什么形式获取", widget=forms.RadioSelect)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label="我确认以上内容真实，并知道受理日期以机关确认收到申请的日期为准",
        error_messages={"required": "请阅读并勾选确认"},
    )

    field_order = [
        "kind",
        "organisation_category",
        "name",
        "id_number",
        "phone",
        "email",
        "address",
        "postal_code",
        "agency",
        "description",
        "purpose",
        "delivery_form",
        "confirm",
        "idempotency_key",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_form"].choices = c.DeliveryForm.choices
        self.fields["delivery_form"].initial = c.DeliveryForm.ELECTRONIC


class StaffRegisterForm(ApplicantFields, RequestContentFields):
    """A request handed in at the counter, by post or by fax, entered by an officer."""

    channel = forms.ChoiceField(
        label="收到方式",
        choices=[(k, v) for k, v in c.IntakeChannel.choices if k != c.IntakeChannel.ONLINE],
    )
    received_on = forms.DateField(
        label="收到申请日期",
        widget=DateInput,
        help_text="当面提交为提交当日；邮寄为签收当日；传真为收到当日",
    )
    submitted_on = forms.DateField(
        label="寄出日期（邮寄，选填）", widget=DateInput, required=False,
        help_text="邮戳日期；不填则与收到日期相同",
    )  # fmt: skip
    delivery_form = forms.ChoiceField(label="获取信息的方式", choices=c.DeliveryForm.choices)

    field_order = [
        "channel",
        "received_on",
        "submitted_on",
        "agency",
        *[n for n in RequestForm.field_order if n not in ("agency", "confirm", "idempotency_key")],
    ]

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        self.fields["agency"].help_text = ""
        self.fields["received_on"].initial = timezone.localdate()

    def clean_received_on(self):
        return _not_in_future(self.cleaned_data["received_on"], "收到申请日期")

    def clean_submitted_on(self):
        return _not_in_future(self.cleaned_data.get("submitted_on"), "寄出日期")


class TrackForm(forms.Form):
    number = forms.CharField(
        label="申请编号",
        max_length=REQUEST_NUMBER_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label="查询码",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text="提交申请时页面上显示的8位查询码，不区分大小写",
    )

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class ApplicantCorrectionForm(forms.Form):
    """The applicant's corrected application, sent online after a correction notice."""

    text = forms.CharField(
        label="补正内容",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="按补正通知逐条说明；可以重新描述所需信息",
    )


# --- staff action forms ----------------------------------------------------------------------


class OnDateForm(forms.Form):
    on = forms.DateField(label="日期", widget=DateInput)

    on_label = "日期"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = self.on_label
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        return _not_in_future(self.cleaned_data["on"], self.on_label)


class ConfirmForm(OnDateForm):
    on_label = "确认收到日期"


class CorrectionNoticeForm(OnDateForm):
    on_label = "通知日期"
    what = forms.CharField(
        label="需要补正的事项",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="一次列出全部问题，每行一条；补正通知只能发一次，须在收到申请后7个工作日内发出",
    )
    due_on = forms.DateField(
        label="补正期限",
        widget=DateInput,
        required=False,
        help_text="不填则为通知之日起15个工作日",
    )

    def clean_what(self):
        lines = [line.strip() for line in self.cleaned_data["what"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise ValidationError("请至少写一条需要补正的事项")
        if len(lines) == 1:
            return lines[0]
        return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


class CorrectionReceivedForm(OnDateForm):
    on_label = "收到补正日期"
    note = forms.CharField(
        label="说明",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="补正的主要内容；超过补正期限才收到的，须写明申请人逾期的正当理由",
    )


class ConsultationStartForm(OnDateForm):
    on_label = "发出征求意见日期"
    party = forms.CharField(label="第三方名称", max_length=200)
    note = forms.CharField(
        label="征求意见事项",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    delivery_method = forms.ChoiceField(
        label="送达方式",
        choices=c.OpinionDelivery.choices,
        initial=c.OpinionDelivery.BY_HAND,
        widget=forms.RadioSelect,
    )
    tracking_number = forms.CharField(label="邮件单号（邮寄的必填）", max_length=50, required=False)
    delivered_on = forms.DateField(
        label="第三方收到日期",
        widget=DateInput,
        help_text="签收、妥投或电子回执上的日期；第三方的15个工作日从这一天起算",
    )

    def clean_delivered_on(self):
        return _not_in_future(self.cleaned_data["delivered_on"], "第三方收到日期")


class AgencyConsultationStartForm(OnDateForm):
    on_label = "发出征求意见日期"
    agency = forms.CharField(label="被征求意见的机关", max_length=200)
    question = forms.CharField(
        label="征求意见事项", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgencyConsultationEndForm(OnDateForm):
    on_label = "收到答复日期"
    answer = forms.CharField(
        label="其他机关的意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsultationEndForm(OnDateForm):
    on_label = "收到第三方意见日期"
    note = forms.CharField(
        label="第三方意见",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="第三方逾期未提出意见的，也请在这里写明",
    )


class ExtensionForm(OnDateForm):
    on_label = "决定延期日期"
    days = forms.IntegerField(
        label="延长工作日数",
        min_value=1,
        max_value=20,
        initial=20,
        help_text="最多20个工作日，只能延长一次",
    )
    reason = forms.CharField(
        label="延期理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    approver = forms.ModelChoiceField(
        label="批准人",
        queryset=None,
        empty_label="请选择批准延期的负责人",
        help_text="须由另一名有权限的工作人员批准",
    )

    def __init__(self, *args, approvers=(), **kwargs):
        super().__init__(*args, **kwargs)
        from sanyi.orgs.models import User

        field = self.fields["approver"]
        field.queryset = User.objects.filter(pk__in=[u.pk for u in approvers]).order_by("pk")
        field.label_from_instance = lambda u: u.get_full_name() or u.username


class FeeNoticeForm(OnDateForm):
    on_label = "收费通知日期"
    method = forms.ChoiceField(
        label="计收方式",
        choices=[(k, v) for k, v in c.FeeMethod.choices if k],
        widget=forms.RadioSelect,
        help_text="按件计收：本月在本机关的第几件申请由系统统计；按量计收：填写页数",
    )
    pages = forms.IntegerField(
        label="页数（按量计收）",
        min_value=1,
        required=False,
        help_text="数据或非纸质介质按折算页数填写",
    )
    due_on = forms.DateField(
        label="缴费期限", widget=DateInput, required=False, help_text="不填则为通知之日起20个工作日"
    )


class FeePaidForm(OnDateForm):
    on_label = "缴费日期"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PublicationPicks(forms.TypedMultipleChoiceField):
    """Publication ids ticked on the page; whether each is public is the service's check
    (the page lists only the latest search, so any id may come back)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(*args, **kwargs)

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class PublicationSearchForm(forms.Form):
    pub_q = forms.CharField(
        label="查找已公开信息", max_length=100, required=False,
        help_text="输入标题、文号或索引号中的词",
    )  # fmt: skip


class ReplyForm(OnDateForm):
    on_label = "答复日期"
    outcome = forms.ChoiceField(label="办理结果", choices=outcome_choices)
    text = forms.CharField(
        label="答复内容", max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="不予公开的，写明理由；本机关不掌握的，写明已尽的检索义务",
    )  # fmt: skip
    legal_basis = forms.CharField(
        label="法律依据",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不填则按办理结果引用《政府信息公开条例》的相应条款",
    )
    referral = forms.CharField(
        label="负责公开该信息的机关",
        max_length=200,
        required=False,
        help_text="仅“本机关不掌握相关政府信息”时填写：能够确定的，写明名称和联系方式",
    )
    method = forms.ChoiceField(
        label="送达方式", choices=c.ReplyMethod.choices, initial=c.ReplyMethod.ONLINE
    )
    on_spot = forms.BooleanField(label="当场答复", required=False)
    files = MultipleFileField(
        label="所附文件（予以公开、部分公开的）",
        required=False,
        help_text="载有所公开信息的文件：PDF、Word（docx）、Excel（xlsx）、JPG、PNG，"
        "每个不超过{mb}MB，最多{n}个；申请人在申请页面下载",
    )
    publications = PublicationPicks(
        label="已公开的信息",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="信息已在本平台公开的，先在上方“查找已公开信息”中搜索，再在这里勾选",
    )
    paper_method = forms.ChoiceField(
        label="纸质信息送达方式",
        choices=[("", "不提供纸质信息"), *c.PaperMethod.choices],
        required=False,
    )
    paper_on = forms.DateField(
        label="纸质信息送达日期", widget=DateInput, required=False,
        help_text="寄出、领取或约定现场查阅的日期",
    )  # fmt: skip
    paper_note = forms.CharField(
        label="纸质信息说明", max_length=200, required=False,
        help_text="页数、快递单号、领取地点等",
    )  # fmt: skip

    def __init__(self, *args, found=(), **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        from sanyi.disclosure_requests.services import MAX_FILES

        field = self.fields["files"]
        field.help_text = field.help_text.format(
            mb=settings.SANYI_UPLOAD_MAX_BYTES // (1024 * 1024), n=MAX_FILES
        )
        self.fields["publications"].widget.choices = [
            (p.pk, f"{p.title}{f'（{p.document_number}）' if p.document_number else ''}")
            for p in found
        ]


class WithdrawForm(OnDateForm):
    on_label = "撤回日期"
    reason = forms.CharField(
        label="撤回说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=c.AppealKind.choices)
    filed_on = forms.DateField(label="提起日期", widget=DateInput)
    authority = forms.CharField(label="复议机关或人民法院", max_length=200)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    note = forms.CharField(
        label="备注", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_filed_on(self):
        return _not_in_future(self.cleaned_data["filed_on"], "提起日期")


class AppealResultForm(forms.Form):
    result = forms.ChoiceField(
        label="结果",
        choices=[(k, v) for k, v in c.AppealResult.choices if k != c.AppealResult.PENDING],
    )
    concluded_on = forms.DateField(label="审结日期", widget=DateInput)

    def clean_concluded_on(self):
        return _not_in_future(self.cleaned_data["concluded_on"], "审结日期")


class WorklistFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False)
    agency = AgencyChoiceField(
        label="机关", queryset=OrgUnit.objects.none(), required=False, empty_label="全部机关"
    )
    channel = forms.ChoiceField(
        label="收到方式", required=False, choices=[("", "全部"), *c.IntakeChannel.choices]
    )
    clock = forms.ChoiceField(
        label="期限",
        required=False,
        choices=[("", "全部"), ("overdue", "已逾期"), ("due_soon", "临近期限")],
    )
    due_within = forms.IntegerField(
        label="几个工作日内到期", required=False, min_value=0, max_value=60
    )
    year = forms.IntegerField(label="收到年份", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        self.fields["status"].choices = [
            ("", "未办结的"),
            ("all", "全部"),
            *c.RequestStatus.choices,
        ]
