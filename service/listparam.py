"""`column IN (list)` with the whole list bound as one parameter, on SQLite and PostgreSQL.

An expanding IN renders and binds one placeholder per value, so the statement differs with every
list length and is compiled again; with one parameter (a JSON array read by json_each on SQLite,
an array on PostgreSQL) it is built and compiled once. The importer's look-ups and the API's
page reads both use it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, String, any_, bindparam, func, select


def in_values(dialect: str, column: ColumnElement, name: str = "values") -> ColumnElement[bool]:
    """`column IN (:name)`; bind the list with `bind_values`."""
    if dialect == "sqlite":
        listed = func.json_each(bindparam(name, type_=String)).table_valued("value")
        return column.in_(select(listed.c.value))
    return column == any_(bindparam(name, type_=ARRAY(column.type)))


def bind_values(dialect: str, values: list, name: str = "values") -> dict[str, Any]:
    return {name: json.dumps(values) if dialect == "sqlite" else values}
