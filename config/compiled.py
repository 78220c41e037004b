"""Querysets whose SQL Django builds once per process, run again with new values.

Building and compiling a queryset costs Django far more than PostgreSQL takes to run it: the
public statement query of a statement page (the visibility rule's subquery, the language
versions' subquery, three joined tables) took 3.5-5 ms to build and compile and 0.5 ms to
run as a prepared statement. A page asks the same question with different values each time
(this language, this date and slug, now), so the SQL is the same every time and only its
parameters change.

`CompiledQuery(build, samples)` builds the queryset with two sets of sample values and
compiles each. It is usable only if both give the same SQL, and if every parameter that
differs between them can be traced to one argument: building once more per argument shows
which positions are that argument's, and how Django adapted the value there. Anything else
(an argument that changes the SQL's shape, a value taken from the clock inside `build`) is
refused when it is first used, with the reason. A call then fills the argument's positions
with the new values and runs that SQL, with the model instances, `select_related` rows and
`prefetch_related` lookups made by Django's own code, and returns them as a list (never a
queryset to be filtered further, which would need its SQL built anew).

With `generic_plan`, PostgreSQL runs the query with the plan it made once for the prepared
statement (`plan_cache_mode`, for this query only) rather than planning it again for each
new value: for a query given the current time, whose best plan does not depend on the time,
that is the planning saved on every call (the API's first page of 50: 2.2 ms of planning for
2.1 ms of running), for a transaction and a settings command around the query.

Written here because neither Django nor a maintained library keeps compiled querysets.
tests/test_compiled.py checks that every compiled query returns what the queryset returns.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import operator
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, DatabaseError, NotSupportedError, connections, transaction
from django.db.models import Model, Prefetch, QuerySet
from django.db.models.sql import Query

from config.backends import CACHED_PLAN_CHANGED

M = TypeVar("M", bound=Model)

# Two different times, for the samples of a query that takes one (any two would do).
SAMPLE_TIMES = (
    datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(2001, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
)


class NotCompilable(ValueError):
    """`build` gives SQL whose shape depends on its arguments, or takes another value."""


def _adapters(connection) -> list[Callable[[Any], Any]]:
    ops = connection.ops
    return [lambda value: value, ops.adapt_datefield_value, ops.adapt_datetimefield_value]


def _gives(adapter: Callable[[Any], Any], argument: Any, parameter: Any) -> bool:
    """Whether `adapter` makes `parameter` of `argument` (adapters of dates refuse others)."""
    try:
        adapted = adapter(argument)
    except (AttributeError, TypeError, ValueError):
        return False
    return type(adapted) is type(parameter) and adapted == parameter


def _fresh(lookup: Any) -> Any:
    if isinstance(lookup, Prefetch) and lookup.queryset is not None:
        lookup = copy.copy(lookup)
        lookup.queryset = lookup.queryset.all()
    return lookup


class _Compiled:
    """The SQL, parameters and compiler state of one build, for one database."""

    def __init__(self, template: QuerySet, sql: str, params: list, state: dict, slots: list):
        self.template = template
        self.sql = sql
        self.params = params
        self.state = state
        # (position, argument, adapter) for each parameter an argument fills.
        self.slots = slots
        # The converters of the selected columns (Django works them out for every query),
        # per connection: a backend's converters may be methods of that connection's own.
        self.converters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _PrecompiledQuery(Query):
    """A query whose compiler gives the stored SQL, state and converters instead of working
    them out."""

    precompiled: tuple[str, list, _Compiled]

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        sql, params, compiled = self.precompiled
        compiler.__dict__.update(compiled.state)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        known = compiled.converters.get(compiler.connection)
        if known is None:
            known = compiled.converters[compiler.connection] = compiler.get_converters(selected)
        work_out = compiler.get_converters
        compiler.get_converters = lambda expressions: (
            known
            if len(expressions) == len(selected) and all(map(operator.is_, expressions, selected))
            else work_out(expressions)
        )
        return compiler


class CompiledQuery(Generic[M]):
    def __init__(
        self,
        build: Callable[..., QuerySet[M]],
        samples: tuple[dict, dict],
        *,
        generic_plan: bool = False,
    ) -> None:
        self.build = build
        self.samples = samples
        self.generic_plan = generic_plan
        self._by_vendor: dict[str, _Compiled] = {}

    def __call__(self, **arguments: Any) -> list[M]:
        compiled = self._compiled()
        params = list(compiled.params)
        for position, name, adapt in compiled.slots:
            params[position] = adapt(arguments[name])
        queryset = compiled.template.all()  # with a query of its own (a clone)
        # Each call its own prefetch querysets: Django notes hints on them as it runs them.
        lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        if lookups:
            queryset = queryset.prefetch_related(None).prefetch_related(*map(_fresh, lookups))
        query = cast(_PrecompiledQuery, queryset.query)
        query.__class__ = _PrecompiledQuery
        query.precompiled = (compiled.sql, params, compiled)
        if self.generic_plan:
            return with_generic_plan(lambda: list(queryset), queryset.db)
        return list(queryset)

    def _compiled(self) -> _Compiled:
        # One database; its vendor decides the SQL (the tests run on SQLite and PostgreSQL).
        vendor = connections[DEFAULT_DB_ALIAS].vendor
        compiled = self._by_vendor.get(vendor)
        if compiled is None:
            first, second = self.samples
            compiled = self._compile(self.build(**first), first, second)
            self._by_vendor[vendor] = compiled
        return compiled

    def _compile(self, template: QuerySet, first: dict, second: dict) -> _Compiled:
        connection = connections[template.db]

        def compile_(queryset: QuerySet):
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            return compiler, sql, list(params)

        compiler, sql, params = compile_(template)
        _, other_sql, other_params = compile_(self.build(**second))
        if other_sql != sql or len(other_params) != len(params):
            raise NotCompilable("the SQL's shape depends on the arguments")
        slots = []
        claimed: set[int] = set()
        for name in first:
            _, one_sql, one_params = compile_(self.build(**{**first, name: second[name]}))
            if one_sql != sql:
                raise NotCompilable(f"{name} changes the SQL's shape")
            for position, (value, changed) in enumerate(zip(params, one_params, strict=True)):
                if value == changed:
                    continue
                adapt = next(
                    (
                        adapter
                        for adapter in _adapters(connection)
                        if _gives(adapter, first[name], value)
                        and _gives(adapter, second[name], changed)
                    ),
                    None,
                )
                if adapt is None:
                    raise NotCompilable(f"parameter {position} is not {name} as given")
                slots.append((position, name, adapt))
                claimed.add(position)
        for position, (value, changed) in enumerate(zip(params, other_params, strict=True)):
            if value != changed and position not in claimed:
                raise NotCompilable(f"parameter {position} comes from no argument")
        state = {
            attribute: getattr(compiler, attribute)
            for attribute in (
                "select",
                "klass_info",
                "annotation_col_map",
                "col_count",
                "has_extra_select",
            )
        }
        return _Compiled(template, sql, params, state, slots)


# What PostgreSQL is told to plan the queries run by `with_generic_plan`, and after them when
# the transaction goes on.
SETTINGS_COMMANDS = (
    "SET LOCAL plan_cache_mode = force_generic_plan",
    "RESET plan_cache_mode",
)

T = TypeVar("T")


def with_generic_plan(run: Callable[[], T], alias: str = DEFAULT_DB_ALIAS) -> T:
    """`run()`, its prepared statements run with their generic plan (PostgreSQL with prepared
    statements, config/backends.py; otherwise as it is: there is no plan kept to use).

    The setting is local to a transaction, so that behind a transaction pooler it cannot
    reach another client's session. In an open transaction it is reset after `run()`
    (after a database error PostgreSQL refuses the command, and the transaction's rollback
    undoes the setting with the rest); outside one `run()` has a transaction of its own,
    run once more if a statement prepared before a migration changed its columns failed
    (the rollback dropped the connection's prepared statements: config/backends.py does the
    same for queries outside a transaction)."""
    connection = connections[alias]
    options = connection.settings_dict.get("OPTIONS", {})
    if connection.vendor != "postgresql" or not options.get("server_side_binding"):
        return run()
    start, end = SETTINGS_COMMANDS
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(start)
        try:
            return run()
        finally:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute(end)

    def in_a_transaction() -> T:
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute(start)
            return run()

    try:
        return in_a_transaction()
    except NotSupportedError as error:
        if CACHED_PLAN_CHANGED not in str(error):
            raise
        return in_a_transaction()
