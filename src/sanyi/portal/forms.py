from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from sanyi.orgs.areas import AreaGroup


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意大小写。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["username"].error_messages["required"] = _("请填写用户名")
        self.fields["password"].label = _("密码")
        self.fields["password"].error_messages["required"] = _("请填写密码")

    @property
    def failure_limit(self) -> int:
        return settings.AXES_FAILURE_LIMIT


class OTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("6位验证码"),
        max_length=12,
        error_messages={"required": _("请填写手机验证器上显示的6位数字")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(_("验证码是6位数字，请核对后重新输入"))
        return code


class StaffPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"


class AreaForm(forms.Form):
    """我所在的地区: a subdistrict, then (optionally) a community of it. Plain selects, so
    it works without JavaScript; with it, the community list shows only the chosen
    subdistrict's communities (portal/area.js)."""

    subdistrict = forms.ChoiceField(
        label=_("街道（乡镇）"), error_messages={"required": _("请选择您所在的街道（乡镇）")}
    )
    community = forms.ChoiceField(label=_("社区（村）"), required=False)

    def __init__(self, *args: Any, choices: list[AreaGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._groups = {group.subdistrict.code: group for group in choices}
        subdistrict = cast(forms.ChoiceField, self.fields["subdistrict"])
        community = cast(forms.ChoiceField, self.fields["community"])
        subdistrict.choices = [("", _("请选择"))] + [
            (group.subdistrict.code, group.subdistrict.name) for group in choices
        ]
        community.choices = [("", _("不选社区（村），只选街道（乡镇）"))] + [
            (
                group.subdistrict.name,
                [(unit.code, unit.name) for unit in group.communities],
            )
            for group in choices
            if group.communities
        ]
        self.fields["subdistrict"].widget.attrs["data-area-subdistrict"] = ""
        self.fields["community"].widget.attrs["data-area-community"] = ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        group = self._groups.get(cleaned.get("subdistrict") or "")
        community = cleaned.get("community") or ""
        if group is not None and community not in {"", *(u.code for u in group.communities)}:
            self.add_error(
                "community",
                _("所选社区（村）不在%(name)s，请重新选择") % {"name": group.subdistrict.name},
            )
        return cleaned

    @property
    def chosen_code(self) -> str:
        """The code of the most precise unit chosen (after validation)."""
        return self.cleaned_data.get("community") or self.cleaned_data["subdistrict"]
