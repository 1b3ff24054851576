"""Plumbing tables shared by every app."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class JobRunStatus(models.TextChoices):
    RUNNING = "running", "运行中"
    OK = "ok", "成功"
    ERROR = "error", "失败"


class JobRun(models.Model):
    """One run of a scheduled job for one due slot (see ``sanyi.core.scheduler``).

    The row is the lease: the unique (job, slot) pair lets exactly one scheduler node insert
    it, so a slot runs once however many nodes tick. A node that dies mid-run leaves the row
    "running"; once ``lease_until`` has passed another node may take it over.
    """

    job = models.CharField("任务", max_length=100)
    slot = models.DateTimeField("应运行时间")
    status = models.CharField(
        "状态", max_length=16, choices=JobRunStatus.choices, default=JobRunStatus.RUNNING
    )
    node = models.CharField("运行节点", max_length=200, blank=True)
    attempt = models.PositiveSmallIntegerField("第几次尝试", default=1)
    started_at = models.DateTimeField("开始时间")
    lease_until = models.DateTimeField("租约到期")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("用时（毫秒）", null=True, blank=True)
    result = models.TextField("结果", blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="core_jobrun_one_per_slot"),
        ]
        indexes = [models.Index(fields=["job", "-slot"], name="core_jobrun_latest")]

    def __str__(self) -> str:
        return f"{self.job} @ {timezone.localtime(self.slot):%Y-%m-%d %H:%M}"


class PublicContentGeneration(models.Model):
    """One row, a counter: bumped after every commit that changes what anonymous visitors
    see, so every process drops the public pages it cached (``sanyi.core.pagecache``)."""

    value = models.BigIntegerField("版本号", default=0)
    changed_at = models.DateTimeField("变更时间", null=True, blank=True)

    class Meta:
        verbose_name = "公开内容版本"
        verbose_name_plural = "公开内容版本"

    def __str__(self) -> str:
        return f"公开内容第{self.value}版"
