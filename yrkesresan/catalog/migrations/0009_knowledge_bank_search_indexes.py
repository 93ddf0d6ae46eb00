"""GIN indexes for the knowledge bank's full-text search (learning.knowledge) on PostgreSQL:
without them every search turns every row's text into a tsvector. Each index is the very
expression the search filters on (SearchVector over the same fields, `swedish`), so that
PostgreSQL can use it; learning's test_knowledge_bank checks that it does. SQLite (the demo)
has no full-text search and gets none."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# (model, fields): learning.knowledge searches these fields of these models.
INDEXES = [
    ("course", ("title", "summary", "target_group")),
    ("preparationtask", ("title", "goal", "motivation", "body", "url")),
]


def _index(model_name, fields):
    return GinIndex(SearchVector(*fields, config="swedish"), name=f"catalog_{model_name}_search")


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields in INDEXES:
        schema_editor.add_index(apps.get_model("catalog", model_name), _index(model_name, fields))


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields in INDEXES:
        schema_editor.remove_index(
            apps.get_model("catalog", model_name), _index(model_name, fields)
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_day_plans_staffed_in_pairs")]

    operations = [migrations.RunPython(add, remove)]
