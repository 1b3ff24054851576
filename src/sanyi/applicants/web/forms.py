"""Forms of the applicant's area. They parse input; the services validate and write."""

from __future__ import annotations

from django import forms

from sanyi.applicants.models import ConsentScope, OrganisationCategory


def _text(autocomplete: str = "off", inputmode: str = "text", **attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete, "inputmode": inputmode, **attrs})


class SignInForm(forms.Form):
    id_number = forms.CharField(
        label="证件号码",
        max_length=30,
        help_text="个人填18位公民身份号码；企业和其他组织填18位统一社会信用代码",
        widget=_text(spellcheck="false", autocapitalize="characters"),
    )
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        help_text="填写办事时登记的手机号",
        widget=_text("tel", "tel"),
    )


class RegisterForm(SignInForm):
    name = forms.CharField(
        label="姓名或名称",
        max_length=100,
        help_text="个人填身份证上的姓名；企业和其他组织填营业执照或登记证书上的名称",
        widget=_text("name"),
    )
    field_order = ["id_number", "name", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = "验证码将发送到这个手机号，以后也用它登录"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        min_length=6,
        help_text="6位数字，5分钟内有效",
        widget=_text("one-time-code", "numeric", pattern="[0-9]*"),
    )


class PhoneChangeForm(forms.Form):
    phone = forms.CharField(
        label="新手机号",
        max_length=20,
        help_text="原手机号和新手机号各会收到一个验证码，两个都填对后生效",
        widget=_text("tel", "tel"),
    )


def _code_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=6,
        min_length=6,
        help_text=help_text,
        widget=_text("one-time-code", "numeric", pattern="[0-9]*"),
    )


class PhoneCodesForm(forms.Form):
    old_code = _code_field("原手机号收到的验证码", "6位数字，发到您现在登记的手机号")
    new_code = _code_field("新手机号收到的验证码", "6位数字，发到您要换成的新手机号")


class ContactForm(forms.Form):
    email = forms.EmailField(label="电子邮箱", required=False, help_text="选填，用于接收办理通知")
    address = forms.CharField(label="联系地址", max_length=200, required=False)
    postal_code = forms.CharField(
        label="邮政编码",
        max_length=6,
        required=False,
        widget=_text("postal-code", "numeric"),
    )

    def __init__(self, *args, applicant, **kwargs):
        super().__init__(*args, **kwargs)
        if not applicant.is_person:
            self.fields["legal_representative"] = forms.CharField(
                label="法定代表人", max_length=50, required=False
            )
            self.fields["organisation_category"] = forms.ChoiceField(
                label="组织类别",
                required=False,
                choices=[("", "请选择"), *OrganisationCategory.choices],
            )


class WalletConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        label="材料复用",
        choices=[("1", "同意"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput,
    )
    scope = forms.ChoiceField(
        label="同意复用",
        choices=ConsentScope.choices,
        initial=ConsentScope.ALL,
        required=False,
        widget=forms.RadioSelect,
    )
