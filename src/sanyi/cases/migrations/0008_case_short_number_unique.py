from django.db import migrations, models

import sanyi.cases.models


class Migration(migrations.Migration):
    """Every case has its short number now: required, unique (indexed), drawn on creation."""

    dependencies = [
        ("cases", "0007_fill_case_short_number"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="short_number",
            field=models.CharField(
                default=sanyi.cases.models.new_short_number,
                editable=False,
                help_text="8位，便于读写和电话查询（不含0、O、1、I），与办件编号都可以查询进度",
                max_length=10,
                unique=True,
                verbose_name="短号",
            ),
        ),
    ]
