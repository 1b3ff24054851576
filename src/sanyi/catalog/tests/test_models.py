import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from sanyi.catalog.models import FrozenVersionError, ItemVersion, Material, validate_guide_file
from sanyi.catalog.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return f.org()


def test_published_version_refuses_content_changes(units):
    version = f.item(unit=units["dept"], status="published")
    version.visits = 0
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(FrozenVersionError):
        version.save(update_fields=["visits"])


def test_published_version_refuses_child_changes_and_deletion(units):
    version = f.item(unit=units["dept"], status="published")
    material = version.materials.first()
    material.name = "改过的名称"
    with pytest.raises(FrozenVersionError):
        material.save()
    with pytest.raises(FrozenVersionError):
        material.delete()
    with pytest.raises(FrozenVersionError):
        Material(version=version, position=9, name="新增").save()
    with pytest.raises(FrozenVersionError):
        version.delete()


def test_version_in_review_is_frozen_too(units):
    version = f.item(unit=units["dept"], status="in_review")
    version.place = "别处"
    with pytest.raises(FrozenVersionError):
        version.save()


def test_database_allows_one_published_version_per_code(units):
    version = f.item(unit=units["dept"], status="published")
    clone = ItemVersion(
        implementation_item=version.implementation_item,
        number=2,
        status="published",
        created_by_label="x",
        published_at=version.published_at,
        effective_on=version.effective_on,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_database_allows_one_working_copy_per_code(units):
    version = f.item(unit=units["dept"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemVersion.objects.create(
            implementation_item=version.implementation_item,
            number=2,
            status="in_review",
            created_by_label="x",
        )


def test_limit_value_and_unit_must_agree_in_the_database(units):
    version = f.item(unit=units["dept"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemVersion.objects.filter(pk=version.pk).update(statutory_limit_unit="none")


def _docx_bytes() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_guide_files_accept_office_pdf_and_pictures_only(settings):
    validate_guide_file(SimpleUploadedFile("申请表.docx", _docx_bytes()))
    validate_guide_file(SimpleUploadedFile("样表.pdf", b"%PDF-1.7\n"))
    with pytest.raises(ValidationError, match="内容不是DOCX格式"):
        validate_guide_file(SimpleUploadedFile("改了名.docx", b"<html>x</html>"))
    with pytest.raises(ValidationError, match="不允许上传"):
        validate_guide_file(SimpleUploadedFile("run.exe", b"x"))
    settings.SANYI_UPLOAD_MAX_BYTES = 3
    with pytest.raises(ValidationError, match="超过"):
        validate_guide_file(SimpleUploadedFile("big.pdf", b"xxxx"))
