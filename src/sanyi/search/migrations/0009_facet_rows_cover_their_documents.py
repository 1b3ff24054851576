"""The facet rows' index of (name, value) gains the document id, so that the documents of a
facet value are read from the index alone (docs/search.md, "Reading facets")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_kind_in_the_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchfacet",
            index=models.Index(
                fields=["name", "value", "document"], name="search_facet_name_value_doc"
            ),
        ),
        migrations.RemoveIndex(
            model_name="searchfacet",
            name="search_facet_name_value",
        ),
    ]
