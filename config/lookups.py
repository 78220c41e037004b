"""`field__in_json`: in a list of values given as one JSON array.

`field__in=[...]` writes one parameter per value, so the SQL of a query changes with the
length of the list and cannot be compiled once (config/compiled.py). Given as one JSON text,
the list is one parameter whatever its length:

    Edition.objects.filter(pk__in_json=json.dumps([3, 5, 8]))

PostgreSQL reads the array with `jsonb_array_elements_text`, casts each element to the
column's type and compares the column with `= ANY` of them; SQLite reads it with
`json_each`. Values are written as the column stores them: a
UUID on SQLite as its 32 hexadecimal digits (`uuid.hex`), which PostgreSQL reads as well.

Written here because Django has no lookup that takes a list as one parameter on both
databases (django.contrib.postgres's ArrayField lookups are for array columns, on PostgreSQL
only).
"""

from django.db.models import Field, Lookup


@Field.register_lookup
class InJSON(Lookup):
    lookup_name = "in_json"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        if not isinstance(value, str):
            raise TypeError("in_json takes a JSON array as text (json.dumps of a list)")
        return ("%s", [value])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            # An array, not a subquery: PostgreSQL then looks each value up in an index.
            column_type = self.lhs.output_field.cast_db_type(connection)
            elements = f"jsonb_array_elements_text(({rhs})::jsonb)"
            sql = f"{lhs} = ANY(ARRAY(SELECT ({elements})::{column_type}))"
        else:
            sql = f"{lhs} IN (SELECT value FROM json_each({rhs}))"  # noqa: S608 (placeholders)
        return sql, [*lhs_params, *rhs_params]
