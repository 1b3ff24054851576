"""E-licences (电子证照): issued by approved cases, verifiable by number or QR code.

The public verification page shows only what the holder would show anyway (licence name,
number, masked holder, validity, issuing unit, status); never the full ID number.
"""

from __future__ import annotations

from django.db import models


class LicenceStatus(models.TextChoices):
    VALID = "valid", "有效"
    REVOKED = "revoked", "已注销"
    EXPIRED = "expired", "已过期"


class LicenceCounter(models.Model):
    """The last sequence number of e-licences issued by one unit in one year (row-locked)."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "证照编号计数器"
        verbose_name_plural = "证照编号计数器"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="licence_counter_key")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}#{self.last}"


class ELicence(models.Model):
    number = models.CharField("证照编号", max_length=60, unique=True)
    verification_code = models.CharField(
        "核验码", max_length=40, unique=True, help_text="二维码中携带的随机核验码"
    )
    name = models.CharField("证照名称", max_length=200)
    holder = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.PROTECT,
        related_name="licences",
        verbose_name="持证人",
    )
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licence",
        verbose_name="来源办件",
    )
    issuing_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="发证单位"
    )
    issued_on = models.DateField("发证日期")
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期止", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    details = models.JSONField("证照内容", default=dict, blank=True)
    revoked_reason = models.CharField("注销原因", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "电子证照"
        verbose_name_plural = "电子证照"
        indexes = [models.Index(fields=["holder", "status"], name="licence_holder")]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    def status_on(self, day) -> str:
        """The status as of ``day``: a valid licence past its end date reads as expired."""
        if self.status == LicenceStatus.VALID and self.valid_until and self.valid_until < day:
            return LicenceStatus.EXPIRED
        return self.status
