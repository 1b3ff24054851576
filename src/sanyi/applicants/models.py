"""Applicants: residents and organisations, identified by one number (一号申请).

An applicant is not a staff account. A person is identified by the resident ID number, an
organisation by its unified social credit code (USCC); the profile (name, phone, address,
grid) is kept once and reused by every application, request for information and rating.
Lists and pages show the masked number (``masked_id``); the full number is read only where
the work needs it (acceptance, decisions).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sanyi.core.ids import mask_id, mask_name, mask_phone


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class OrganisationCategory(models.TextChoices):
    """The kinds of legal persons and other organisations the annual report counts apart."""

    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER = "other", "其他"


class Applicant(models.Model):
    kind = models.CharField("申请人类型", max_length=16, choices=ApplicantKind.choices)
    id_number = models.CharField(
        "证件号码",
        max_length=18,
        unique=True,
        help_text="自然人填公民身份号码，法人或其他组织填统一社会信用代码",
    )
    name = models.CharField("姓名或名称", max_length=100)
    organisation_category = models.CharField(
        "组织类别",
        max_length=16,
        choices=OrganisationCategory.choices,
        blank=True,
        help_text="法人或其他组织填写；自然人留空",
    )
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    postal_code = models.CharField("邮政编码", max_length=6, blank=True)
    grid = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="所在网格",
    )
    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "申请人"
        verbose_name_plural = "申请人"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="organisation") | Q(organisation_category=""),
                name="applicant_category_only_for_organisations",
            )
        ]
        indexes = [models.Index(fields=["phone"], name="applicant_phone")]

    def __str__(self) -> str:
        return f"{self.display_name}（{self.masked_id}）"

    @property
    def is_person(self) -> bool:
        return self.kind == ApplicantKind.PERSON

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def display_name(self) -> str:
        """The name as lists show it: a person's name masked, an organisation's in full."""
        return mask_name(self.name) if self.is_person else self.name

    @property
    def audit_label(self) -> str:
        """The actor label for audit rows of the applicant's own actions."""
        return f"申请人：{self.masked_id}"


class AgentAuthorisation(models.Model):
    """An applicant's written authorisation for an agent (代办人) to apply on their behalf."""

    principal = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="authorisations", verbose_name="委托人"
    )
    agent = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="agencies", verbose_name="代办人"
    )
    document = models.FileField(
        "授权委托书", upload_to="applicants/authorisations/%Y/", max_length=300
    )
    document_sha256 = models.CharField(max_length=64, blank=True)
    scope_note = models.CharField("委托事项", max_length=300, blank=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期止", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "代办授权"
        verbose_name_plural = "代办授权"
        indexes = [models.Index(fields=["agent", "principal"], name="authorisation_agent")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(agent=models.F("principal")), name="authorisation_not_self"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent.display_name} 代 {self.principal.display_name}"


class SignInPurpose(models.TextChoices):
    LOGIN = "login", "登录"
    REGISTER = "register", "注册"
    CHANGE_PHONE = "change_phone", "更换手机号"


class SignInCode(models.Model):
    """One SMS code request of the applicant sign-in (see ``sanyi.applicants.auth``).

    A row is written for every request, also when the number and phone did not match and
    nothing was sent (``sent`` false): the next step then behaves the same either way, so the
    page never tells whether someone is on file. Only a salted hash of the code is kept.
    """

    purpose = models.CharField("用途", max_length=16, choices=SignInPurpose.choices)
    id_number = models.CharField("证件号码", max_length=18)
    phone = models.CharField("手机号", max_length=20)
    # A phone change sends a second code to the mobile on file; both are needed.
    old_phone = models.CharField("原手机号", max_length=20, blank=True)
    name = models.CharField("姓名或名称", max_length=100, blank=True)
    applicant = models.ForeignKey(
        Applicant,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="申请人",
    )
    sent = models.BooleanField("已发送", default=False)
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=128, editable=False)
    old_code_hash = models.CharField(max_length=128, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    ip = models.GenericIPAddressField("请求地址", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "登录验证码"
        verbose_name_plural = "登录验证码"
        indexes = [
            # Rate limits: codes per number, per phone and per address in the last hour.
            models.Index(fields=["id_number", "created_at"], name="signin_code_number"),
            models.Index(fields=["phone", "created_at"], name="signin_code_phone"),
            models.Index(fields=["old_phone", "created_at"], name="signin_code_old_phone"),
            models.Index(fields=["ip", "created_at"], name="signin_code_ip"),
            models.Index(fields=["expires_at"], name="signin_code_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {mask_id(self.id_number)}"


class ConsentScope(models.TextChoices):
    ALL = "all", "电子证照和以前提交的材料"
    LICENCES = "licences", "仅电子证照"


class ConsentChannel(models.TextChoices):
    ONLINE = "online", "本人网上办理"
    COUNTER = "counter", "本人在窗口，由工作人员代为办理"


class ReuseConsent(models.Model):
    """One period of the applicant's consent to reuse what the platform holds (信息跑路):
    granted once, withdrawn at most once. Granting again opens a new row, so the rows are
    the history; at most one row of an applicant is open (not withdrawn) at a time.

    Withdrawing stops later automatic attachment only; cases already submitted keep what
    was attached to them."""

    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="reuse_consents", verbose_name="申请人"
    )
    scope = models.CharField(
        "同意范围", max_length=16, choices=ConsentScope.choices, default=ConsentScope.ALL
    )
    granted_at = models.DateTimeField("同意时间")
    granted_via = models.CharField("同意方式", max_length=16, choices=ConsentChannel.choices)
    granted_by = models.CharField("办理人", max_length=200, help_text="本人或代为办理的工作人员")
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_via = models.CharField(
        "撤回方式", max_length=16, choices=ConsentChannel.choices, blank=True
    )
    withdrawn_by = models.CharField("撤回办理人", max_length=200, blank=True)

    class Meta:
        verbose_name = "材料复用授权"
        verbose_name_plural = "材料复用授权"
        ordering = ["applicant", "-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(withdrawn_at__isnull=True),
                name="reuse_consent_one_open",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | Q(withdrawn_at__gte=models.F("granted_at")),
                name="reuse_consent_withdrawn_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id}：{self.get_scope_display()}"

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None

    def covers_materials(self) -> bool:
        """Whether earlier materials (not only e-licences) may be attached."""
        return self.scope == ConsentScope.ALL
