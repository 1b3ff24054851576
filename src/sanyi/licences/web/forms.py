from django import forms


class VerifyForm(forms.Form):
    number = forms.CharField(
        label="证照编号",
        max_length=60,
        help_text="填写证照上的编号；也可以用手机扫描证照上的二维码直接核验",
        error_messages={"required": "请填写证照编号"},
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="注销原因",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写注销原因"},
    )
