"""Default orderings stay on each model's own columns: an ordering that names a foreign key (or
goes through one) makes every query of the model join the related table and sort by its
ordering too, down the chain. Lists that people read order explicitly (catalog.COURSE_ORDER,
rounds.round_order)."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.test import SimpleTestCase


def joining_orderings():
    """[(model label, ordering entry)] for every entry of our models' Meta.ordering that is a
    relation or goes through one."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("yrkesresan."):
            continue
        for entry in model._meta.ordering:
            name = entry.lstrip("-")
            if "__" in name:
                found.append((model._meta.label, entry))
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            # "round_id" (the column) sorts by the id; "round" sorts by Round's ordering.
            if field.is_relation and name != field.attname:
                found.append((model._meta.label, entry))
    return found


class DefaultOrderingTests(SimpleTestCase):
    def test_no_default_ordering_joins_a_related_model(self):
        self.assertEqual(joining_orderings(), [])
