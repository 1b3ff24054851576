"""Org tree (district → subdistrict → community → grid; departments; stations), service
centers with windows, staff accounts and their role assignments.

The tree is a materialised path: ``path`` is the chain of ancestor ids, each zero-padded to
10 digits and ended by "/", so "everything under this unit" is one indexed prefix query.
Services in ``orgs.services`` keep ``path`` and ``depth`` right; nothing else writes them.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_noop


class OrgKind(models.TextChoices):
    # Marked for translation, kept as plain Chinese: imports, exports and the API use them
    # as data (see Role).
    DISTRICT = "district", gettext_noop("区")
    SUBDISTRICT = "subdistrict", gettext_noop("街道/乡镇")
    COMMUNITY = "community", gettext_noop("社区/村")
    GRID = "grid", gettext_noop("网格")
    DEPARTMENT = "department", gettext_noop("部门")
    STATION = "station", gettext_noop("站所")


# Which kinds may sit under which (the parent's kind → allowed child kinds).
ALLOWED_CHILDREN: dict[str | None, set[str]] = {
    None: {OrgKind.DISTRICT},
    OrgKind.DISTRICT: {OrgKind.SUBDISTRICT, OrgKind.DEPARTMENT},
    OrgKind.SUBDISTRICT: {OrgKind.COMMUNITY, OrgKind.STATION},
    OrgKind.COMMUNITY: {OrgKind.GRID},
    OrgKind.GRID: set(),
    OrgKind.DEPARTMENT: {OrgKind.STATION},
    OrgKind.STATION: set(),
}
# Kinds that carry a 12-digit statistical division code, and kinds that carry a USCC.
DIVISION_CODE_KINDS = {OrgKind.DISTRICT, OrgKind.SUBDISTRICT, OrgKind.COMMUNITY}
# How many leading digits a unit's division code shares with its parent's.
DIVISION_PREFIX_LENGTH: dict[str, int] = {OrgKind.SUBDISTRICT: 6, OrgKind.COMMUNITY: 9}
USCC_KINDS = {OrgKind.DEPARTMENT, OrgKind.STATION, OrgKind.DISTRICT, OrgKind.SUBDISTRICT}

PATH_SEGMENT_WIDTH = 10


class OrgUnit(models.Model):
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级单位",
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    # A stable key that survives export and import between installations (the database id
    # does not); the Excel sheet names parents by it.
    code = models.CharField(
        "单位编号",
        max_length=32,
        blank=True,
        help_text="本系统内唯一的单位编号，用于Excel导入导出；不填则自动生成",
    )
    depth = models.PositiveSmallIntegerField("层级深度", default=0, editable=False)
    kind = models.CharField("类别", max_length=16, choices=OrgKind.choices, db_index=True)
    is_rural = models.BooleanField(
        "乡镇/村", default=False, help_text="街道办为否、乡镇为是；社区为否、村为是"
    )
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    division_code = models.CharField(
        "统计用区划代码",
        max_length=12,
        blank=True,
        db_index=True,
        help_text="12位统计用区划代码（区、街道/乡镇、社区/村）",
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    opening_hours = models.CharField("办公时间", max_length=200, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("有效", default=True, db_index=True)
    established_on = models.DateField("设立日期", null=True, blank=True)
    abolished_on = models.DateField("撤销日期", null=True, blank=True)
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "组织单位"
        verbose_name_plural = "组织单位"
        ordering = ["path"]
        indexes = [
            models.Index(fields=["kind", "is_active"], name="orgunit_kind_active"),
            models.Index(fields=["parent", "sort_order"], name="orgunit_parent_sort"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["division_code"],
                condition=~Q(division_code=""),
                name="orgunit_division_code_unique",
            ),
            models.UniqueConstraint(
                fields=["uscc"], condition=~Q(uscc=""), name="orgunit_uscc_unique"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="orgunit_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(division_code="") | Q(division_code__regex=r"^[0-9]{12}$"),
                name="orgunit_division_code_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(is_active=False),
                name="orgunit_abolished_is_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_kind(self) -> str:
        if self.kind == OrgKind.SUBDISTRICT:
            return gettext_noop("乡镇") if self.is_rural else gettext_noop("街道")
        if self.kind == OrgKind.COMMUNITY:
            return gettext_noop("村") if self.is_rural else gettext_noop("社区")
        return self.get_kind_display()

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, itself included."""
        return [int(part) for part in self.path.split("/") if part]


class ServiceCenter(models.Model):
    """A service hall: 政务服务中心 at the district, 便民服务中心/站 below it."""

    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="service_centers",
        verbose_name="所属单位",
    )
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200)
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    opening_hours = models.CharField("办公时间", max_length=200)
    transport = models.CharField("交通指引", max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政务服务中心"
        verbose_name_plural = "政务服务中心"
        ordering = ["org_unit__path", "name"]
        constraints = [
            # The Excel sheet identifies a center by its unit and name.
            models.UniqueConstraint(fields=["org_unit", "name"], name="service_center_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    center = models.ForeignKey(
        ServiceCenter, on_delete=models.PROTECT, related_name="windows", verbose_name="服务中心"
    )
    number = models.CharField("窗口号", max_length=10)
    name = models.CharField("窗口名称", max_length=60)
    is_comprehensive = models.BooleanField(
        "综合窗口", default=True, help_text="综合窗口可受理本中心的全部事项（一窗受理）"
    )
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        ordering = ["center", "number"]
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="window_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.center.name} {self.number}号窗口"


class User(AbstractUser):
    """A staff account. Residents and businesses are applicants (cases), not users here."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    # A UI preference: when the account closed the workbench's first-visit walkthrough.
    walkthrough_done_at = models.DateTimeField("首次使用引导关闭时间", null=True, blank=True)

    class Meta:
        verbose_name = "工作人员账号"
        verbose_name_plural = "工作人员账号"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    # Labels are marked for translation but stay plain Chinese strings: catalogue exports
    # (xlsx, JSON) and imports match them as data, so they must not follow the viewer's
    # language. Pages translate them where they show them: {% translate a.get_role_display %}.
    SYSTEM_ADMIN = "system_admin", gettext_noop("系统管理员")
    CATALOG_ADMIN = "catalog_admin", gettext_noop("事项管理员")
    DISCLOSURE_OFFICER = "disclosure_officer", gettext_noop("政务公开专员")
    WINDOW_CLERK = "window_clerk", gettext_noop("窗口人员")
    APPROVER = "approver", gettext_noop("审批人员")
    GRID_OFFICER = "grid_officer", gettext_noop("网格员")
    SUPERVISOR = "supervisor", gettext_noop("督查人员")


class RoleAssignment(models.Model):
    """A role held in one org unit; it applies to that unit and every unit below it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="人员"
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name="所在单位",
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    window = models.ForeignKey(
        Window,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clerks",
        verbose_name="窗口",
        help_text="窗口人员所在的窗口",
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "org_unit", "role"], name="role_assignment_unique"
            )
        ]
        indexes = [
            models.Index(fields=["user", "is_active"], name="role_user_active"),
            # The staff list filters by role.
            models.Index(fields=["role", "is_active"], name="role_role_active"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.org_unit} · {self.get_role_display()}"
