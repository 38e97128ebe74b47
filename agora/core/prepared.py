"""SQL that Django compiles once per shape and the database runs with each request's values.

Building and compiling a queryset with a few dozen subqueries (the home feed's followed
sources and visibility rules) costs Python more than the database spends running it. Its SQL
depends only on the request's values (the viewer's id, the cursor), never on their structure,
so it is compiled once with stand-ins for those values, and each request binds its own:

    statement = prepared(("home", feed_filter), lambda values: build(values["viewer"]))
    sql, params = statement.bind(viewer=request.user.pk)

A stand-in is a value no request can have (an id far below zero, a date in 1900, text with an
invisible separator), and it must reach the SQL as a parameter: a stand-in inlined into the SQL
text, or a value the function leaves unused, raises at once rather than binding wrong. The
statement is whatever the builder returns for the stand-ins, so a test can compare the
statement bound for a person with the one the builder gives for that person.

`load` goes one step further for a few small reads that every write of a surge makes (the
access token's account, a suspension in force, an office membership): it also turns the rows
into model instances as the ORM would."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

# Stand-ins by kind. Each is unique within a statement, and none is a value an id or a
# timestamp of this application can take.
_INT_BASE = -(2**62)
_TIME_BASE = datetime(1900, 1, 1, tzinfo=UTC)
# Text stand-ins hold the invisible separator U+2063, which no hash, handle or key has.
_TEXT_MARK = "\u2063"

KINDS = ("int", "datetime", "text")


@dataclass(frozen=True)
class Slot:
    """Where a request's value goes, and how the database adapter wants it."""

    name: str
    kind: str

    def adapt(self, value):
        if self.kind == "datetime":
            return connection.ops.adapt_datetimefield_value(value)
        return value


def _stand_ins(slots: dict[str, str]) -> dict[str, object]:
    values = {}
    for number, (name, kind) in enumerate(sorted(slots.items()), start=1):
        if kind not in KINDS:
            raise ValueError(f"{name}: a slot's kind is one of {KINDS}, not {kind!r}")
        if kind == "int":
            values[name] = _INT_BASE - number
        elif kind == "text":
            values[name] = f"{_TEXT_MARK}stand-in {number}{_TEXT_MARK}"
        else:
            values[name] = _TIME_BASE + timedelta(microseconds=number)
    return values


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple  # fixed values, `Slot`s, and lists holding either

    def bind(self, **values) -> tuple[str, list]:
        def value_of(param):
            if isinstance(param, Slot):
                return param.adapt(values[param.name])
            if isinstance(param, list | tuple):
                return type(param)(value_of(item) for item in param)
            return param

        return self.sql, [value_of(param) for param in self.params]


def compile_statement(slots: dict[str, str], build: Callable[[dict], tuple[str, list]]):
    """Compile `build`'s SQL with stand-ins for the named slots (name: kind) and mark where
    each stand-in went."""
    stand_ins = _stand_ins(slots)
    sql, params = build(stand_ins)
    found = {}
    for name, kind in slots.items():
        slot = Slot(name, kind)
        found[stand_ins[name]] = slot
        found[slot.adapt(stand_ins[name])] = slot  # SQLite takes datetimes as text
    used = set()

    def marked(param):
        if isinstance(param, list | tuple):
            return type(param)(marked(item) for item in param)
        slot = found.get(param) if _hashable(param) else None
        if slot is None:
            return param
        used.add(slot.name)
        return slot

    marked_params = tuple(marked(param) for param in params)
    for name, value in stand_ins.items():
        forms = {str(value), str(Slot(name, slots[name]).adapt(value))}
        if isinstance(value, datetime):
            forms.add(value.isoformat())
        for form in forms:
            if form in sql:
                raise ValueError(f"{name}: the stand-in was written into the SQL text")
    return Statement(sql, marked_params), used


def compiled(queryset) -> tuple[str, list]:
    """A queryset's SQL and parameters for this connection, to build a statement from."""
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


_statements: dict[tuple, Statement] = {}
_lock = threading.Lock()


def prepared(
    key: tuple, slots: dict[str, str], build: Callable[[dict], tuple[str, list]]
) -> Statement:
    """The statement for this key on this connection's database, compiled on first use. The
    key names everything the SQL's shape depends on besides the slots; every slot must be
    used, so a builder that stopped using one (and would bind nothing) fails loudly."""
    full_key = (connection.vendor, connection.alias, *key)
    statement = _statements.get(full_key)
    if statement is None:
        statement, used = compile_statement(slots, build)
        unused = set(slots) - used
        if unused:
            raise ValueError(f"{key}: the SQL never uses {', '.join(sorted(unused))}")
        with _lock:
            statement = _statements.setdefault(full_key, statement)
    return statement


@contextmanager
def server_prepared_cursor() -> Iterator:
    """A cursor whose statements PostgreSQL plans once per connection and keeps (a prepared
    statement, at the protocol level), for the few small statements every signed-in request
    runs: planning the unread count cost the database three times what running it did.

    Django's own cursors bind on the client, so PostgreSQL plans every statement they send;
    this one binds on the server and prepares what it runs. Queries still pass Django's
    cursor wrapper (logged, counted in tests, errors translated). Elsewhere, or with
    `AGORA_PREPARED_STATEMENTS` off (a pooler in transaction mode older than PgBouncer 1.21),
    it is an ordinary cursor."""
    if connection.vendor != "postgresql" or not settings.AGORA_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Only cursors that bind on the server prepare anything: Django's never do.
        raw.prepare_threshold = 0
    inner = psycopg.Cursor(raw)
    cursor = (
        _LoggedCursor(inner, connection)
        if connection.queries_logged
        else connection.make_cursor(inner)
    )
    with cursor:
        yield cursor


class _LoggedCursor(CursorDebugWrapper):
    """Django's logging cursor, logging the statement as sent: the driver cannot say what it
    ran once the statement is prepared."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params, use_last_executed_query=False):
            return CursorWrapper.execute(self, sql, params)


@dataclass(frozen=True)
class _Shape:
    """A statement that loads one model's rows, and what turning a row into an instance
    needs: the model's field names in the order selected and each column's converters."""

    statement: Statement
    model: type
    fields: list
    converters: list  # (column index, converters, expression)


_shapes: dict[tuple, _Shape] = {}


def _shape_of(queryset, statement: Statement) -> _Shape:
    compiler = queryset.query.get_compiler(connection=connection)
    compiler.setup_query()
    info = compiler.klass_info or {}
    fields = [field.attname for field in queryset.model._meta.concrete_fields]
    if info.get("related_klass_infos") or info.get("select_fields") != list(range(len(fields))):
        raise ValueError("load() takes a queryset of one model's whole rows (no select_related)")
    columns = [column for column, _sql, _alias in compiler.select]
    converters = [
        (index, found, expression)
        for index, (found, expression) in compiler.get_converters(columns).items()
    ]
    return _Shape(statement, queryset.model, fields, converters)


def load(key: tuple, slots: dict[str, str], build: Callable[[dict], object], **values) -> list:
    """The rows of the queryset `build` gives for the stand-ins, bound to `values`, as the ORM
    would load them, without building or compiling a queryset on each call: one
    `(instance, extra)` a row, `extra` being the values of the columns selected after the
    model's own (its annotations), converted as the ORM converts them. The queryset is one
    model's whole rows; run with a cursor PostgreSQL prepares (`server_prepared_cursor`), on
    the primary as every statement here: these small reads decide what a person may do (their
    account, a suspension, an office), so no replica's lag may answer them."""
    full_key = (connection.vendor, connection.alias, "load", *key)
    shape = _shapes.get(full_key)
    if shape is None:
        built = {}

        def build_sql(stand_ins):
            built["queryset"] = build(stand_ins)
            return compiled(built["queryset"])

        statement = prepared(("load", *key), slots, build_sql)
        # Not `built.get(...) or ...`: a queryset's truth would run it.
        queryset = built["queryset"] if "queryset" in built else build(_stand_ins(slots))
        with _lock:
            shape = _shapes.setdefault(full_key, _shape_of(queryset, statement))
    with server_prepared_cursor() as cursor:
        cursor.execute(*shape.statement.bind(**values))
        rows = cursor.fetchall()
    found = []
    width = len(shape.fields)
    for row in rows:
        row = list(row)
        for index, converters, expression in shape.converters:
            for converter in converters:
                row[index] = converter(row[index], expression, connection)
        instance = shape.model.from_db(connection.alias, shape.fields, row[:width])
        found.append((instance, tuple(row[width:])))
    return found
