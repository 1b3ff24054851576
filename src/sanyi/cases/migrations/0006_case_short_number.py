from django.db import migrations, models


class Migration(migrations.Migration):
    """The short number (短号), first without a value: 0007 fills it, 0008 makes it unique."""

    dependencies = [
        ("cases", "0005_task_action_disagree"),
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
