"""Model instances from columns a busy page read itself (plain SQL or values_list).

The start page and the attendance list read only the columns they show, in few queries; the
rest of the code still wants model instances. `partial_instance` builds one as the ORM does for
a queryset with only() those columns: the other fields are deferred, and read from the
database if anything ever uses them.
"""

from django.db.models import DEFERRED


def partial_instance(model, db, /, **values):
    """An instance of `model` from database `db` (an alias) with these fields by attribute
    name (`person_id`, not `person`); the others deferred."""
    fields = model._meta.concrete_fields
    return model.from_db(db, list(values), [values.get(f.attname, DEFERRED) for f in fields])
