from django.db import migrations, models


class Migration(migrations.Migration):
    """The short number (短号), first without a value: 0006 fills it, 0007 makes it unique."""

    dependencies = [
        ("cases", "0004_case_start_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="short_number",
            field=models.CharField(
                editable=False,
                max_length=10,
                null=True,
                verbose_name="短号",
            ),
        ),
    ]
