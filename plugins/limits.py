"""Datasette plugin (loaded with --plugins-dir): a bound on what one request can cost.

Datasette bounds a query by time (`sql_time_limit_ms`) and by rows (`max_returned_rows`), not by
size: one value can be a gigabyte (`select zeroblob(1000000000)`, `randomblob`, `printf('%.*c',
...)`, `replace` or `group_concat` growing a string), and a thousand rows of a hundred columns can
each be large. Such a result is built in memory whole, then copied a few times over while it is
rendered (base64 and JSON), so one anonymous request could grow the server until the kernel
killed it. On every connection Datasette opens (each database, each SQL thread), this plugin sets:

- SQLite's length limit: no string or blob, stored or computed, may exceed MAX_VALUE_BYTES. A
  function that would build a longer one fails with "string or blob too big" before allocating
  it, and so does reading a stored value that is longer.
- SQLite's column limit: a result row has at most MAX_COLUMNS columns, so one row holds at most
  MAX_COLUMNS * MAX_VALUE_BYTES (SQLite's copy, and Python's while the row is converted).
- A budget per query: the text and blobs of the rows one statement returns add up to at most
  MAX_RESULT_BYTES; the row that would pass it fails the query with a one-line error.
- `printf` and `format` checked: SQLite's printf gives NULL, not an error, for a result past the
  length limit, and repeats a `%.*c` character one at a time up to its count (two billion, about
  ten seconds inside one function call, where the time limit cannot stop it). A `%c` asked to
  repeat more than MAX_VALUE_BYTES times is an error before SQLite's printf runs (on a private
  connection, so its output is exactly SQLite's), and a NULL it gives for a non-NULL format is an
  error too.

What the limits cost legitimate use. Archived text lives in fragments (a post or a paragraph:
kilobytes), which the thread pages, search and the canned queries read; none comes near 4 MiB.
Only a source's `content` and `raw` (the whole pasted or fetched file, which the writer reads)
can be longer, and few pages read them: a source's row page (/archive/sources/ID), the
public_sources table page and SQL selecting them (the /archive/sources listing is a canned query
that leaves them out). A source up to 4 MiB is served whole there; a larger one is a 400 saying
so (`?_nocol=content&_nocol=raw` shows the rest of a table page), and is read from the archive
file instead (`archiver snapshot`, or the database download a signed-in reader has): a web page
would show only its first 2,048 characters anyway (`truncate_cells_html`). Why not more: one row
may hold 32 values of 4 MiB, 128 MiB, held twice while it is read (SQLite's copy and Python's):
a server of about 60 MB then peaks near 310 MB (tests/test_limits.py), under the 500 MB it must
stay within, and a larger value limit would let one row pass that.

Datasette's own settings: `max_returned_rows` (1,000) caps the rows of one query, a streamed CSV
(`_stream=on`) reads a table one page (one query, one budget) at a time and stops at `max_csv_mb`
(100 MB) of output, `truncate_cells_html` only shortens what HTML shows, and `archiver serve`
turns `suggest_facets` off (it would group every column of a table page, big ones included).
`sql_time_limit_ms` stops a query between SQLite's instructions, not inside one function call:
what is not bounded here is the time of one `trim`, `replace` or `instr` call, which grows with
the product of its arguments' lengths (measured: `trim` of 64 Ki characters by a set of 64 Ki,
19 s; `instr` or `replace` of 1 MiB by 0.5 MiB, 7 s). Only arbitrary SQL can ask for that, and
`archiver serve --public` turns it off.

This file is exec'd by Datasette as a standalone module: only absolute imports work.
"""

from __future__ import annotations

import math
import re
import sqlite3
import sys
import weakref

from datasette import hookimpl
from datasette.handle_exception import handle_exception as render_error
from datasette.views.base import DatasetteError

MAX_VALUE_BYTES = 4 * 1024 * 1024
MAX_COLUMNS = 32  # the widest archive table (sources) has 15, a join of two of them 30
MAX_RESULT_BYTES = 32 * 1024 * 1024
TOO_LARGE = (f"A value here is larger than the {MAX_VALUE_BYTES // (1024 * 1024)} MiB this server returns"
             f" (a large source's content or raw bytes): leave its column out (?_nocol=content&_nocol=raw on"
             f" a table page), or read it from the archive file")
# A printf conversion: `%`, SQLite's flag, width, precision and size characters, the conversion.
PRINTF_SPEC = re.compile(r"%([-+ #!0,0-9*.l]*)(.)", re.S)
LEADING_INTEGER = re.compile(r"\s*([+-]?\d+)")


def bounded_rows(limit: int = MAX_RESULT_BYTES):
    """A row factory (sqlite3.Row, as Datasette uses) failing a statement whose rows' text and
    blobs pass `limit` bytes. One per connection: Datasette gives each SQL thread its own."""
    spent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # cursor -> bytes returned so far

    def row(cursor: sqlite3.Cursor, values: tuple) -> sqlite3.Row:
        # getsizeof: what the values really hold (a str of one emoji and much ASCII is 4 bytes a char)
        size = sum(sys.getsizeof(v) for v in values if isinstance(v, (str, bytes)))
        total = spent.get(cursor, 0) + size
        if total > limit:
            # Let go of the values now, not when the garbage collector breaks the cycle through the
            # traceback that Datasette keeps (the row, and the next one SQLite has already made).
            del values
            spent.pop(cursor, None)
            try:
                cursor.close()
            except sqlite3.ProgrammingError:
                pass
            raise sqlite3.DataError(
                f"Result too large: its text and blobs pass the server's {limit // (1024 * 1024)} MiB limit"
                f" per query; ask for fewer rows (_size=) or columns (_col=, _nocol=)")
        spent[cursor] = total
        return sqlite3.Row(cursor, values)

    return row


def _c_int(value: object) -> int:
    """An argument as SQLite's printf reads a `*` count: a 64-bit integer (text by its leading
    digits), then cast to a C int."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if isinstance(value, str):
        m = LEADING_INTEGER.match(value)
        value = int(m.group(1)) if m else 0
    elif isinstance(value, float):
        value = int(value) if math.isfinite(value) else (0 if math.isnan(value) else int(math.copysign(2**63 - 1, value)))
    elif not isinstance(value, int):
        return 0
    value = max(-(2**63), min(2**63 - 1, value))
    return (value + 2**31) % 2**32 - 2**31


def repeats_too_long(fmt: str, args: tuple, limit: int = MAX_VALUE_BYTES) -> bool:
    """True when a `%c` of the format may repeat its character more than `limit` times. Cautious
    about which argument a `*` takes: with a `%.*c` in the format, any argument over the limit."""
    for flags, conversion in PRINTF_SPEC.findall(fmt):
        if conversion != "c" or "." not in flags:
            continue
        for precision in re.findall(r"\.(\*|\d*)", flags):
            if precision == "*":
                if any(abs(_c_int(a)) > limit for a in args):
                    return True
            elif precision and int(precision) & 0x7FFFFFFF > limit:
                return True
    return False


def checked_printf(limit: int = MAX_VALUE_BYTES):
    """SQLite's printf (run on a private connection with the same length limit), refusing a `%c`
    repeated past the limit and a result past it (which SQLite's printf gives as NULL). The refusal
    is an OverflowError, which Python's sqlite3 turns into SQLite's own "string or blob too big"."""
    own = sqlite3.connect(":memory:", check_same_thread=False)
    own.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limit)
    own.text_factory = lambda b: str(b, "utf-8", "replace")  # as Datasette reads text

    def printf(*args: object) -> str | None:
        if not args or args[0] is None:
            return None
        if repeats_too_long(str(args[0]), args[1:], limit):
            raise OverflowError(f"printf: a %c repeated more than {limit} times")
        result = own.execute(f"select printf({', '.join('?' * len(args))})", args).fetchone()[0]
        if result is None:
            raise OverflowError(f"printf: the result would pass the length limit ({limit} bytes)")
        return result

    return printf


@hookimpl
def prepare_connection(conn):
    """Bound every connection: value length, result width, result size (see the module docstring)."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, MAX_COLUMNS)
    conn.row_factory = bounded_rows()
    printf = checked_printf()
    for name in ("printf", "format"):
        conn.create_function(name, -1, printf)


@hookimpl
def handle_exception(datasette, request, exception):
    """A table or row page stopped by a limit is the visitor's 400 saying which, not a server
    error (a query page shows SQLite's message itself)."""
    if isinstance(exception, sqlite3.DataError):
        message = str(exception)
        if message == "string or blob too big":
            message = TOO_LARGE
        elif not message.startswith("Result too large"):
            return None
        return render_error(datasette, request, DatasetteError(message, title="Too large", status=400))
    return None
