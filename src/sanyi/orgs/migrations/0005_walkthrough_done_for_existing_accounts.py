"""Accounts that signed in before the walkthrough existed are not new: they skip it."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    User = apps.get_model("orgs", "User")
    User.objects.filter(last_login__isnull=False, walkthrough_done_at__isnull=True).update(
        walkthrough_done_at=F("last_login")
    )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_user_walkthrough_done_at")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
