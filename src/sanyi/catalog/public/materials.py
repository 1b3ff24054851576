"""Materials as the public guide lists them, and their downloadable files (blank forms and
samples).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from sanyi.catalog.choices import (
    MaterialNecessity,
    MaterialReuse,
    VersionStatus,
)
from sanyi.catalog.models import Material


@dataclass(frozen=True)
class MaterialRow:
    position: int
    name: str
    type: str  # label: 原件 / 复印件 / 原件和复印件
    form: str
    copies: int
    necessity: str  # code
    necessity_label: str
    specification: str
    source: str  # code
    source_label: str
    source_note: str
    legal_basis: str
    acceptance_standard: str
    notes: str
    blank_form_url: str
    sample_url: str
    reuse_text: str = ""  # "可复用：…" (信息跑路)

    @property
    def deferrable(self) -> bool:
        return self.necessity == MaterialNecessity.DEFERRABLE

    @property
    def optional(self) -> bool:
        return self.necessity == MaterialNecessity.OPTIONAL

    @property
    def copies_text(self) -> str:
        return f"{self.copies}份" if self.copies else "出示即可，不留存"


def _file_url(implementation_code: str, material: Material, kind: str) -> str:
    # Files live outside the web root: links go to the download view, never to MEDIA_URL.
    if not getattr(material, kind):
        return ""
    return reverse("catalog:material_file", args=[implementation_code, material.position, kind])


def _material_row(material: Material, implementation_code: str) -> MaterialRow:
    return MaterialRow(
        position=material.position,
        name=material.name,
        type=material.get_type_display(),
        form=material.get_form_display(),
        copies=material.copies,
        necessity=material.necessity,
        necessity_label=material.get_necessity_display(),
        specification=material.specification,
        source=material.source,
        source_label=material.get_source_display(),
        source_note=material.source_note,
        legal_basis=material.legal_basis,
        acceptance_standard=material.acceptance_standard,
        notes=material.notes,
        blank_form_url=_file_url(implementation_code, material, "blank_form"),
        sample_url=_file_url(implementation_code, material, "sample"),
        reuse_text=reuse_text(material.reuse, material.reuse_days),
    )


def reuse_text(rule: str, days: int | None) -> str:
    """How long an accepted copy stays reusable, as the guide says it."""
    if rule == MaterialReuse.NEVER:
        return "可复用：否，每次办理都需提交"
    if rule == MaterialReuse.EXPIRY:
        return "可复用：已有电子证照的，在证照有效期内不用再交"
    if rule != MaterialReuse.DAYS or not days:
        days = int(getattr(settings, "SANYI_MATERIAL_REUSE_DAYS", 365))
    return f"可复用：审核合格后{days}天内再次办事不用再交"


MATERIAL_FILE_KINDS = {"blank_form": "空白表格", "sample": "示例样表"}
# By the stored name's extension: the workbench checks at upload that the content matches it.
MATERIAL_FILE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/octet-stream",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class MaterialFile:
    """One stored blank form or sample, ready to stream."""

    file: FieldFile
    filename: str  # what the resident's computer saves it as
    content_type: str


def material_file(material: Material, kind: str) -> MaterialFile | None:
    """The blank form (``kind`` "blank_form") or sample ("sample") of a material, named
    after the material; None when the material has none or ``kind`` is unknown."""
    if kind not in MATERIAL_FILE_KINDS:
        return None
    stored = getattr(material, kind)
    if not stored:
        return None
    suffix = PurePosixPath(stored.name).suffix.lower()
    name = _UNSAFE_IN_NAME.sub("_", material.name).strip(" ._") or f"材料{material.position}"
    if kind == "sample":
        name = f"{name}（{MATERIAL_FILE_KINDS[kind]}）"
    return MaterialFile(
        file=stored,
        filename=f"{name}{suffix}",
        content_type=MATERIAL_FILE_TYPES.get(suffix, "application/octet-stream"),
    )


def public_material(*, implementation_code: str, position: int) -> Material:
    """Material ``position`` of the version in force of ``implementation_code`` (one
    query). Raises Material.DoesNotExist for drafts, superseded versions and unknown codes."""
    return Material.objects.only(
        "pk", "version_id", "position", "name", "blank_form", "sample"
    ).get(
        version__status=VersionStatus.PUBLISHED,
        version__implementation_item__implementation_code=implementation_code,
        position=position,
    )
