"""Third-party consultations recorded before the delivery date was kept: their 15 working
days were counted from the day the request for opinion was sent, so that day stands as
the day the third party received it (the due dates they produced do not move)."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    ClockStop = apps.get_model("disclosure_requests", "ClockStop")
    ClockStop.objects.filter(kind="consultation", delivered_on__isnull=True).update(
        delivered_on=F("started_on")
    )


def backwards(apps, schema_editor):
    # The column goes away with 0004's reversal; nothing to undo here.
    pass


class Migration(migrations.Migration):
    dependencies = [("disclosure_requests", "0004_reply_carriers_and_agency_consultations")]

    operations = [migrations.RunPython(forwards, backwards)]
