"""Appointments (预约): a centre's schedules, the time slots they publish and residents'
bookings of a slot for one catalogue item."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from sanyi.core.ids import mask_name, mask_phone


class Schedule(models.Model):
    """When one window group of a service centre takes appointments: every working day of
    the calendar (holidays have no slots, make-up working days do), from ``opens`` to
    ``closes`` in slots of ``slot_minutes`` with ``capacity`` places each."""

    center = models.ForeignKey(
        "orgs.ServiceCenter",
        on_delete=models.PROTECT,
        related_name="appointment_schedules",
        verbose_name="服务中心",
    )
    name = models.CharField("窗口组", max_length=60)
    windows = models.ManyToManyField(
        "orgs.Window", blank=True, related_name="appointment_schedules", verbose_name="窗口"
    )
    opens = models.TimeField("开始时间")
    closes = models.TimeField("结束时间")
    slot_minutes = models.PositiveSmallIntegerField("每段分钟数", default=30)
    capacity = models.PositiveSmallIntegerField("每段可约人数", default=4)
    weekdays = models.CharField(
        "每周哪几天",
        max_length=7,
        default="12345",
        help_text="星期几的数字（1=星期一 … 7=星期日）；节假日没有时段，调休上班日照常",
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "预约时间表"
        verbose_name_plural = "预约时间表"
        ordering = ["center_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="appt_schedule_name_unique"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="appt_schedule_hours"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="appt_schedule_slot_len"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appt_schedule_capacity"),
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[1-7]{1,7}$"), name="appt_schedule_weekdays"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center.name} {self.name}"


class Slot(models.Model):
    """One bookable time of one schedule. ``booked`` counts the live bookings; the database
    refuses more than ``capacity`` (the services also lock the row before counting)."""

    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, related_name="slots", verbose_name="时间表"
    )
    center = models.ForeignKey(
        "orgs.ServiceCenter",
        on_delete=models.PROTECT,
        related_name="appointment_slots",
        verbose_name="服务中心",
    )
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveSmallIntegerField("可约人数")
    booked = models.PositiveSmallIntegerField("已约人数", default=0)
    closed_at = models.DateTimeField(
        "关闭时间", null=True, blank=True, help_text="关闭的时段不再接受预约；可以重新开放"
    )
    closed_reason = models.CharField("关闭原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["starts_at", "schedule_id"]
        indexes = [models.Index(fields=["center", "starts_at"], name="appt_slot_center_start")]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "starts_at"], name="appt_slot_unique"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="appt_slot_not_overbooked"
            ),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="appt_slot_times"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return 0 if self.closed_at else max(self.capacity - self.booked, 0)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    CHECKED_IN = "checked_in", "已签到"
    CANCELLED = "cancelled", "已取消"
    NO_SHOW = "no_show", "未到"


class Booking(models.Model):
    """A resident's booking of one slot for one catalogue item, found by its short code."""

    code = models.CharField("预约码", max_length=8, unique=True)
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name="时段"
    )
    applicant = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.PROTECT,
        related_name="appointment_bookings",
        verbose_name="申请人",
        null=True,
        blank=True,
        help_text="空：凭手机号预约，不登录（不建立也不改动申请人信息）",
    )
    name = models.CharField("姓名", max_length=60, blank=True)
    implementation_item = models.ForeignKey(
        "catalog.ImplementationItem",
        on_delete=models.PROTECT,
        related_name="appointment_bookings",
        verbose_name="事项",
    )
    item_name = models.CharField("事项名称", max_length=200)
    phone = models.CharField("手机号", max_length=20, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        "orgs.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="签到窗口人员",
    )
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)
    created_at = models.DateTimeField("预约时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["slot__starts_at", "id"]
        indexes = [
            models.Index(fields=["applicant", "status"], name="appt_booking_applicant"),
            models.Index(fields=["status", "slot"], name="appt_booking_status_slot"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="appt_booking_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"预约{self.code}"

    @property
    def is_live(self) -> bool:
        return self.status == BookingStatus.BOOKED

    @property
    def person(self) -> str:
        """Who booked, for staff: the profile's name, or a phone booking's name masked."""
        return self.applicant.display_name if self.applicant else mask_name(self.name)

    @property
    def person_id(self) -> str:
        """The masked ID number, or for a phone booking the masked mobile."""
        if self.applicant:
            return self.applicant.masked_id
        return f"手机预约 {mask_phone(self.phone)}"


class PhoneCode(models.Model):
    """An SMS code for booking or managing a booking by mobile number, without signing in.
    Only a salted hash of the code is kept; it expires, allows a few tries and is used once."""

    phone = models.CharField("手机号", max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    ip = models.GenericIPAddressField(null=True, blank=True)
    tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "预约短信验证码"
        verbose_name_plural = "预约短信验证码"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"验证码{self.pk}"
