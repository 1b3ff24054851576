"""Requests made before the contact was kept on the request: copy the applicant's details
as they are now (the best record there is of where to send the reply)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_contact(apps, schema_editor):
    InfoRequest = apps.get_model("disclosure_requests", "InfoRequest")
    Applicant = apps.get_model("applicants", "Applicant")
    mapping = {
        "contact_name": "name",
        "contact_phone": "phone",
        "contact_email": "email",
        "contact_address": "address",
        "contact_postal_code": "postal_code",
    }
    InfoRequest.objects.filter(contact_name="").update(
        **{
            ours: Subquery(Applicant.objects.filter(pk=OuterRef("applicant_id")).values(theirs)[:1])
            for ours, theirs in mapping.items()
        }
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0003_signin_codes"),
        ("disclosure_requests", "0002_inforequest_contact"),
    ]

    operations = [migrations.RunPython(copy_contact, migrations.RunPython.noop)]
