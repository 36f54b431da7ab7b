"""The `archiver` command line: thin click commands over the library."""

from __future__ import annotations

import functools
import json
import shlex
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from . import __version__
from .errors import ArchiveBusy, ArchiverError, InputError, UsageProblem, one_line
from .wording import plural

# Suffixes of a file that is meant to be an archive (an argument given in the archive's place, or after it).
ARCHIVE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3")
TTY_HINT = "Paste the text, then press Ctrl-D (Ctrl-Z Enter on Windows)"


def fail_cleanly(fn):
    """Turn ArchiverError, and an SQLite error the library let through (a full disk, a value too
    large, a lock held past the busy timeout), into a one-line message (control characters escaped)
    and exit status 1 or the error's. A folder given as the archive is refused first (exit 2)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        db = kwargs.get("db")
        try:
            if db is not None and db.is_dir() and not kwargs.get("package"):  # a package may be a folder
                ctx = click.get_current_context()
                raise folder_as_archive(db, ctx.info_name, _inputs_of(kwargs), ctx.meta.get("archive_arg"))
            return fn(*args, **kwargs)
        except ArchiveBusy as e:  # named as the user gave it
            click.echo(f"Error: {one_line(e.for_path(db if db is not None else e.path))}", err=True)
            sys.exit(e.exit_code)
        except ArchiverError as e:
            click.echo(f"Error: {one_line(str(e))}", err=True)
            sys.exit(e.exit_code)
        except sqlite3.Error as e:
            from .txn import is_busy

            if is_busy(e):  # a lock met outside a write transaction (the library takes its locks there)
                from .db import BUSY_TIMEOUT_MS

                message = ArchiveBusy(BUSY_TIMEOUT_MS / 1000).for_path(db)
            else:
                message = storage_error(db, e)
            click.echo(f"Error: {one_line(message)}", err=True)
            sys.exit(1)

    return wrapper


def _inputs_of(params: dict) -> tuple[str, ...] | None:
    """The input paths a command was given after the archive (None for a command that takes none)."""
    if "paths" in params:
        return tuple(params["paths"])
    if "path" in params and params.get("path") is not None:
        return (str(params["path"]),)
    return None


def folder_as_archive(db: Path, command: str, inputs: tuple[str, ...] | None, typed: str | None = None
                      ) -> UsageProblem:
    """The one line for a folder given where the archive goes: for a command that reads inputs, the
    arguments were most likely swapped (`archiver ingest seeds/ new.db`), and the line shows them
    the right way round; for one that reads an archive, it names an archive the folder holds.
    `typed` is the folder as the user typed it."""
    shown = typed or str(db)
    if inputs is not None:
        archive = next((p for p in inputs if p.lower().endswith(ARCHIVE_SUFFIXES) and not Path(p).is_dir()),
                       "archive.db")
        rest = [shown] + [p for p in inputs if p != archive]
        line = " ".join(shlex.quote(a) for a in ["archiver", command, archive, *rest])
        return UsageProblem(f"{shown} is a folder; the archive comes first: {line}")
    held = sorted(p for p in db.iterdir() if p.suffix.lower() in ARCHIVE_SUFFIXES and p.is_file()) \
        if db.is_dir() else []
    example = shlex.quote(str(held[0])) if held else "archive.db"
    if command == "verify" and not held:  # a folder is what `archiver export` writes
        return UsageProblem(f"{shown} is a folder, not an archive (an evidence package? archiver verify --package"
                            f" {shlex.quote(shown)})")
    return UsageProblem(f"{shown} is a folder, not an archive: give the archive's file, e.g. archiver {command} {example}")


class _OneLineUsageError(click.UsageError):
    """A usage error shown on one line (`Error: ...` with the command's usage), not click's usage block."""

    def show(self, file=None) -> None:
        """Print the error and the usage on one line to standard error."""
        usage = ""
        if self.ctx is not None:
            usage = f" ({' '.join(self.ctx.get_usage().split())}; see {self.ctx.command_path} --help)"
        click.echo(f"Error: {one_line(self.format_message())}{usage}", err=True, file=file)


def _one_line_usage(call):
    """Run a parsing step, its click usage errors made one line (exit status 2 kept)."""
    try:
        return call()
    except _OneLineUsageError:
        raise
    except click.UsageError as e:
        if type(e).__name__ == "NoArgsIsHelpError":  # `archiver` alone: the help is what is wanted
            raise
        raise _OneLineUsageError(e.format_message(), e.ctx) from None


class ArchiverGroup(click.Group):
    """The `archiver` group: usage errors (a missing argument, an unknown option) are one line."""

    def make_context(self, *args, **kwargs):
        """Parse the group's own arguments, a usage error on one line."""
        return _one_line_usage(lambda: super(ArchiverGroup, self).make_context(*args, **kwargs))

    def invoke(self, ctx):
        """Run the subcommand, a usage error met parsing its arguments on one line."""
        return _one_line_usage(lambda: super(ArchiverGroup, self).invoke(ctx))


def storage_error(db: Path | None, e: sqlite3.Error) -> str:
    """The one line saying what SQLite refused: every write is a transaction that a failure rolls
    back, so the archive holds nothing of the operation that failed (sources an ingest committed
    before it stay)."""
    where = f"{db}: " if db is not None else ""
    name = getattr(e, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return (f"{where}the disk is full ({e}): what was being written was rolled back, the archive is"
                " unchanged by it; free some space and run the command again")
    if name == "SQLITE_TOOBIG":
        return f"{where}a value is larger than SQLite can store ({e}): nothing of it was written"
    return f"{where}the archive database failed ({type(e).__name__}: {e})"


def json_option(fn):
    """The shared `--json` flag."""
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(fn)


def json_array(items: Iterable, level: int = 0) -> Iterator[str]:
    """`json.dumps(list(items), ensure_ascii=False, indent=1)`, as it reads `level` deep in a document,
    in pieces: a command's --json output never holds the list (at a million fragments, hundreds of MB)."""
    inner = "\n" + " " * (level + 1)
    first = True
    for item in items:
        yield ("[" if first else ",") + inner + json.dumps(item, ensure_ascii=False, indent=1).replace("\n", inner)
        first = False
    yield "[]" if first else "\n" + " " * level + "]"


def echo_chunks(chunks: Iterable[str], every: int = 1000) -> None:
    """Print the pieces, a line end after the last, one write per `every` pieces."""
    batch: list[str] = []
    for chunk in chunks:
        batch.append(chunk)
        if len(batch) >= every:
            click.echo("".join(batch), nl=False)
            batch = []
    click.echo("".join(batch))


class ArchivePath(click.Path):
    """The archive's path, as a Path; the text as typed (`seeds/`, its slash included) kept in the
    context for the messages about it."""

    def convert(self, value, param, ctx):
        """A Path, the text given remembered as `ctx.meta["archive_arg"]`."""
        if ctx is not None:
            ctx.meta["archive_arg"] = str(value)
        return super().convert(value, param, ctx)


def db_argument(fn):
    """The shared DB argument: path to the archive database (a folder is refused by `fail_cleanly`,
    which can tell swapped arguments)."""
    return click.argument("db", type=ArchivePath(path_type=Path))(fn)


@click.group(cls=ArchiverGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archiver")
def cli():
    """Thread Archiver: turn pasted thread dumps into a searchable, citable SQLite archive.

    \b
    Examples:
      archiver ingest archive.db seeds/
      pbpaste | archiver ingest archive.db -
      archiver parse dump.txt --json
      archiver threads archive.db
      archiver serve archive.db
    """


def _read_inputs(paths: tuple[str, ...], lazy: bool = False, name: str | None = None):
    """Yield (label, Source or exception, named) for every input path; '-' reads standard input (a
    paste, named `name` or from its first line and the time); `named` is False for a file found in a
    folder given.

    With `lazy`, files are yielded as Paths for the ingest to read (in its worker processes)."""
    from .sources import iter_paths, read_path, read_stdin

    for raw in paths:
        if raw == "-":
            if sys.stdin.isatty():  # a terminal: nothing happens until the paste is ended, so say how
                click.echo(TTY_HINT, err=True)
            if lazy:
                from .stream import read_stdin_input

                yield "stdin", _try(lambda: read_stdin_input(sys.stdin.buffer, name)), True
            else:
                yield "stdin", _try(lambda: read_stdin(sys.stdin.buffer, name)), True
            continue
        for p in iter_paths([raw]):
            yield str(p), p if lazy else _try(functools.partial(read_path, p)), str(p) == raw


def _try(fn):
    try:
        return fn()
    except InputError as e:
        return e


def _paste_name(paths: tuple[str, ...], name: str | None) -> str | None:
    """The --name given, checked: it names a paste, so `-` must be among the inputs."""
    if name is None:
        return None
    if "-" not in paths:
        raise UsageProblem("--name names a paste (standard input, `-`); files keep their own names")
    from .sources import check_name

    return check_name(name)


def skip_reason(label: str, reason: str) -> str:
    """Why an input was skipped, without the file name the reader put in front (the label shows it)."""
    prefix = Path(label).name + ": "
    return reason[len(prefix):] if reason.startswith(prefix) else reason


def nothing_read(verb: str, skipped: int, paths: tuple[str, ...]) -> InputError:
    """The final line when no input could be read: every file skipped, or none found."""
    if not skipped:
        return InputError(f"nothing to {verb}: no file found in {', '.join(paths)}")
    return InputError(f"nothing to {verb}: no input could be read ({plural(skipped, 'file')} skipped)")


NAME_OPTION = click.option("--name", metavar="NAME",
                           help="Name the paste read from standard input (-), as citations will show it. Default:"
                                ' "paste", the time and the first words of its first line.')


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@NAME_OPTION
@json_option
@fail_cleanly
def parse(paths, name, as_json):
    """Reconstruct threads from dumps without a database.

    PATHS are files, folders, or - for standard input. Prints the reconstruction contract
    (sources, threads, duplicates, dropped) as JSON with --json, a short outline without. An input
    that cannot be read (an image, an empty file) is skipped with a line saying why, as `ingest`
    does; the exit status is 1 only when none could be read.

    \b
    Examples:
      archiver parse dump.txt --json
      pbpaste | archiver parse - --json | jq '.threads[].title'
      pbpaste | archiver parse - --name "Astana court thread"
    """
    from .parse import parse_sources

    sources = []
    inputs = list(_read_inputs(paths, name=_paste_name(paths, name)))
    skipped = 0
    for label, got, named in inputs:
        if isinstance(got, Exception):
            if named and len(inputs) == 1:
                raise got
            # an input that cannot be read (a FIFO, an image, an empty file): skipped, as ingest does
            click.echo(one_line(f"skipped {label}: {skip_reason(label, str(got))}"), err=True)
            skipped += 1
            continue
        sources.append(got)
    if not sources:
        raise nothing_read("parse", skipped, paths)
    result = parse_sources(sources)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return
    for t in result.threads:
        click.echo(f"{t.id}  {t.kind:7}  {_n_of(t.parts, t.total):>7}  {one_line(t.title[:70])}")
        if t.missing:
            click.echo(f"{'':14}missing: {', '.join(map(str, t.missing))}")
    formats: dict[str, int] = {}
    for source in result.sources:
        formats[source.format] = formats.get(source.format, 0) + 1
    click.echo(f"{plural(len(result.threads), 'item')}, {plural(len(result.dropped), 'dropped span')}, "
               f"{plural(len(result.duplicates), 'duplicate group')}; formats: "
               + ", ".join(f"{name} {count}" for name, count in sorted(formats.items())))


def _n_of(parts, total) -> str:
    return f"{len(parts)}/{total}" if total else f"{len(parts)}"


@cli.command()
@db_argument
@click.argument("paths", nargs=-1, required=True)
@click.option("--private", is_flag=True,
              help="Mark these sources private: hidden from anonymous visitors. A source archived publicly"
                   " before is made private (and said so).")
@NAME_OPTION
@json_option
@fail_cleanly
def ingest(db, paths, private, name, as_json):
    """Archive dumps verbatim and rebuild their threads.

    PATHS are files, folders (read recursively) or - for standard input. Re-ingesting a
    source that is already archived changes nothing, with one exception: with --private, a
    source archived publicly before is made private, and the summary says so ("made private:
    NAME"); without --private, a private source stays private (`archiver private --public`
    publishes one). A paste is named with --name, or else by the time and its first words.
    An input that cannot be read is skipped with a line saying why; the exit status is 1 only
    when none could be read. While another archiver writes to the archive, the ingest waits for
    it (up to 30 s).

    \b
    Examples:
      archiver ingest archive.db seeds/
      pbpaste | archiver ingest archive.db -
      pbpaste | archiver ingest archive.db - --name "Astana court thread, @rights_kz"
      archiver ingest archive.db notes/*.txt --json
      archiver ingest archive.db witness.txt --private
    """
    from .db import check_creatable
    from .ingest import ingest_sources
    from .stream import read_input

    name = _paste_name(paths, name)
    check_creatable(db)  # before anything is read: a missing folder is said at once
    inputs = [(label, got, named) for label, got, named in _read_inputs(paths, lazy=True, name=name)]
    if len(inputs) == 1 and isinstance(inputs[0][1], Path):
        inputs = [(inputs[0][0], _try(functools.partial(read_input, inputs[0][1])), inputs[0][2])]
    if len(inputs) == 1 and isinstance(inputs[0][1], Exception) and inputs[0][2]:
        raise inputs[0][1]
    from .stream import LargeFile

    large = any(isinstance(got, LargeFile) for _, got, _ in inputs)
    summary = ingest_sources(db, [(label, got) for label, got, _ in inputs], private=private,
                             progress=not as_json and (len(inputs) > 5 or large))
    for skip in summary.skipped:
        skip["reason"] = skip_reason(skip["path"], skip["reason"])
    read = summary.sources_new + summary.sources_present
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=1))
    elif read:
        click.echo(_summary_text(summary))
    else:  # nothing stored: only why each input was skipped, then the final line
        for s in summary.skipped:
            click.echo(one_line(f"skipped {s['path']}: {s['reason']}"))
    if not read:
        raise nothing_read("archive", len(summary.skipped), paths)


def _make_private(database, summary) -> None:
    """Mark private the sources given again as private that were archived publicly (as `ingest` does)."""
    if summary.make_private:
        from .projection import mark

        marked = mark(database, sorted(set(summary.make_private)), True)
        summary.made_private += [m.name for m in marked if m.changed]


def _summary_text(s) -> str:
    """The ingest summary: sources, threads as the archive holds them after merges, fragments, formats."""
    held = f" (now {plural(s.parts, 'part')}, {s.missing_parts} missing)" if s.threads + s.threads_extended else ""
    lines = [
        f"sources: {s.sources_new} new, {s.sources_present} already archived",
        f"threads: {s.threads} new, {s.threads_extended} extended{held}",
        f"fragments: {s.fragments_new} new, {s.fragments_known} already known, "
        f"{plural(s.near_duplicates, 'near-duplicate pair')}",
    ]
    if s.formats:
        lines.append("formats: " + ", ".join(f"{name} {count}" for name, count in sorted(s.formats.items())))
    if s.present:
        lines.append("already archived: " + ", ".join(s.present))
    if s.made_private:
        lines.append("made private (archived publicly before): " + ", ".join(s.made_private))
    if s.merged_threads:
        lines.append("merged into existing threads: " + ", ".join(s.merged_threads))
    for skip in s.skipped:
        lines.append(f"skipped {skip['path']}: {skip['reason']}")
    return "\n".join(one_line(line) for line in lines)  # a file name cannot start a line of its own


@cli.command()
@db_argument
@json_option
@fail_cleanly
def threads(db, as_json):
    """List archived threads, their parts and gaps.

    \b
    Example:
      archiver threads archive.db
    """
    from .db import open_db
    from .queries import iter_threads

    rows = iter_threads(open_db(db, create=False))
    if as_json:
        echo_chunks(json_array(rows))
        return
    for r in rows:
        present = f"{r['parts_present']}/{r['total']}" if r["total"] else str(r["parts_present"])
        missing = ",".join(map(str, r["missing"]))
        click.echo(f"{r['id']}  {r['kind']:7}  {present:>7}  {('missing ' + missing) if missing else '':18}  "
                   f"{one_line((r['title'] or '')[:70])}")


@cli.command()
@db_argument
@click.argument("thread_id")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="Output format.")
@fail_cleanly
def show(db, thread_id, fmt):
    """Print a thread unrolled, with gaps and sources.

    THREAD_ID is a thread's id, an id it had before a merge, or the first characters of one (at
    least 4) that no other thread's id starts with.

    \b
    Examples:
      archiver show archive.db 3f2a9c1e0b7d
      archiver show archive.db 3f2a
      archiver show archive.db 3f2a9c1e0b7d --format markdown > thread.md
    """
    from .db import open_db
    from .queries import load_thread, match_thread_id
    from .render import render_json, render_markdown, render_text

    database = open_db(db, create=False)
    thread = load_thread(database, match_thread_id(database, thread_id))
    render = {"text": render_text, "markdown": render_markdown, "json": render_json}[fmt]
    click.echo(render(thread))


@cli.command()
@db_argument
@click.option("-p", "--port", default=8001, show_default=True, help="Port to listen on (127.0.0.1 only).")
@click.option("--public", is_flag=True, help="Public mode: arbitrary SQL off, canned queries and search on.")
@click.option("--dry-run", is_flag=True, help="Print the datasette command instead of running it.")
@fail_cleanly
def serve(db, port, public, dry_run):
    """Publish the archive locally with Datasette.

    Binds 127.0.0.1 only. Open the printed URL in a browser.

    \b
    Example:
      archiver serve archive.db
    """
    from .serve import datasette_args, run_datasette

    args = datasette_args(db, port=port, public=public)
    if dry_run:
        click.echo(" ".join(args))
        return
    click.echo(f"Serving {one_line(str(db))} at http://127.0.0.1:{port}/  (Ctrl-C to stop)")
    run_datasette(args)


@cli.command(name="private")
@db_argument
@click.argument("sources", nargs=-1, required=True)
@click.option("--public", "public", is_flag=True, help="Make the sources public instead.")
@json_option
@fail_cleanly
def private_(db, sources, public, as_json):
    """Mark sources private (or public with --public).

    SOURCES are source ids, sha256s (or their first digits, at least 6), or source names (a name
    must name one source). Prints one line per source, what was done. A source already so is left
    alone, and said so. The public views are then rebuilt from the public sources alone, in one
    transaction (on a large archive this takes a while). Nothing changes when a SOURCE names no
    source, or several.

    \b
    Examples:
      archiver private archive.db witness.txt
      archiver private archive.db 12 3f2a9c1e0b7d
      archiver private archive.db --public witness.txt --json
    """
    from .db import open_db
    from .projection import mark

    database = open_db(db, create=False)
    try:
        marked = mark(database, list(sources), private=not public)
    finally:
        database.conn.close()
    if as_json:
        click.echo(json.dumps({"sources": [m.to_json() for m in marked]}, ensure_ascii=False, indent=1))
        return
    state = "public" if public else "private"
    for m in marked:
        click.echo(f"{'made' if m.changed else 'already'} {state}: source {m.id} ({m.name}, sha256 {m.sha256[:12]})")


@cli.command()
@click.argument("db", type=click.Path(path_type=Path))
@click.option("--package", is_flag=True,
              help="DB is an evidence package (a folder or zip from `archiver export` or a thread page): check it.")
@json_option
@fail_cleanly
def verify(db, package, as_json):
    """Check that the archive still proves what it says.

    Re-hashes every stored source against its sha256, checks every sighting's lines still
    give its fragment's text, and checks the full-text indexes agree with their tables.

    With --package, checks an evidence package instead: every file against its SHA256SUMS (as
    `sha256sum -c SHA256SUMS` does), each source file against the sha256 the archive recorded,
    each part's text at the lines its source is cited for, and thread.md against thread.json.

    \b
    Examples:
      archiver verify archive.db
      archiver verify --package thread-23a0c79db9d1.zip
    """
    if package:
        return _verify_package(db, as_json)
    from .db import open_db
    from .verify import verify_archive

    database = open_db(db, create=False)
    problems = verify_archive(database)
    counts = {t: database.execute(f"select count(*) from [{t}]").fetchone()[0]
              for t in ("sources", "fragments", "sightings")}
    if as_json:
        click.echo(json.dumps({"ok": not problems, "checked": counts,
                               "problems": [p.to_json() for p in problems]}, ensure_ascii=False, indent=1))
    else:
        for p in problems:
            click.echo(one_line(str(p)))
        checked = ", ".join(rows_of(n, t) for t, n in counts.items())
        click.echo(f"{'ok' if not problems else plural(len(problems), 'problem')}: checked {checked}")
    if problems:
        sys.exit(1)


def _verify_package(path: Path, as_json: bool) -> None:
    from .package import verify_package

    problems, checked = verify_package(path)
    if as_json:
        click.echo(json.dumps({"ok": not problems, "files": checked, "problems": problems}, ensure_ascii=False, indent=1))
    else:
        for p in problems:
            click.echo(one_line(p))
        files = f"{checked} file{'s' if checked != 1 else ''}"
        click.echo(f"ok: {one_line(str(path))}: {files} match SHA256SUMS, the sources' sha256 are the archive's,"
                   " every part is at its cited lines" if not problems
                   else f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: {one_line(str(path))}")
    if problems:
        sys.exit(1)


@cli.command()
@db_argument
@click.argument("thread_id")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--public", "public_only", is_flag=True,
              help="Only what anonymous visitors see: the thread as the public sources alone give it.")
@click.option("--url", "page_url", metavar="URL", help="The thread page's address, for the citation"
              " (e.g. https://archive.example.org/-/threads/ID).")
@json_option
@fail_cleanly
def export(db, thread_id, dest, public_only, page_url, as_json):
    """Write a thread's evidence package (folder or zip).

    The package holds the thread as Markdown (every flag kept) and JSON, its citation, each source
    it was seen in byte for byte, and SHA256SUMS: `sha256sum -c SHA256SUMS` in the folder, or
    `archiver verify --package DEST`, checks it. DEST must not exist (or be an empty folder).

    \b
    Examples:
      archiver export archive.db 23a0c79db9d1 thread.zip
      archiver export archive.db 23a0c79db9d1 evidence/ --public
    """
    from .db import open_db
    from .package import build_package, package_folder_name, write_package
    from .public_views import load_public_thread
    from .queries import load_thread

    database = open_db(db, create=False)
    try:
        thread = (load_public_thread if public_only else load_thread)(database, thread_id)
        files = build_package(database.conn, thread, public_only, page_url, "Thread Archiver")
    finally:
        database.conn.close()
    written = write_package(files, dest, package_folder_name(thread.id))
    sources = sum(1 for f in files if f.path.startswith("sources/"))
    size = sum(len(f.data) for f in files)
    if as_json:
        click.echo(json.dumps({"thread": thread.id, "dest": str(written), "files": [f.path for f in files],
                               "sources": sources, "bytes": size}, ensure_ascii=False, indent=1))
        return
    check = (f"unzip it, then `sha256sum -c SHA256SUMS` in {package_folder_name(thread.id)}/"
             if written.suffix.lower() == ".zip" else f"`sha256sum -c SHA256SUMS` in {written}")
    click.echo(one_line(f"{written}: thread {thread.id}, {len(files)} files, {sources} source"
                        f"{'s' if sources != 1 else ''}, {size:,} bytes"))
    click.echo(one_line(f"check it: `archiver verify --package {written}`, or {check}"))


@cli.command()
@db_argument
@click.argument("urls", nargs=-1, required=True)
@click.option("--allow-private", is_flag=True,
              help="Also fetch from loopback, private and link-local addresses (refused by default).")
@click.option("--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
              help="Allow one private origin only, e.g. http://127.0.0.1:8000 (repeatable).")
@click.option("--replies", is_flag=True, help="Mastodon/Bluesky: keep the whole conversation, not only the author's self-thread.")
@click.option("--private", is_flag=True, help="Mark these sources private: hidden from anonymous visitors. A source"
              " archived publicly before is made private (and said so).")
@click.option("--deadline", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds allowed for each fetch, redirects, retries and body included.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
              help="Largest response body accepted.")
@json_option
@fail_cleanly
def fetch(db, urls, allow_private, allow_origins, replies, private, deadline, max_bytes, as_json):
    """Fetch URLs and archive the raw responses.

    Mastodon status URLs are read through the instance's public API and Bluesky post URLs through
    the public AppView: the author's self-thread (--replies for the whole conversation). Other URLs
    are read as HTML pages (saved X/nitter/Thread Reader App/Mastodon threads, news articles).
    Private and loopback addresses, non-http(s) URLs, binary bodies and bodies over the size cap are
    refused at every redirect hop. A failed fetch writes nothing.

    \b
    Examples:
      archiver fetch archive.db https://mastodon.social/@Gargron/1
      archiver fetch archive.db https://bsky.app/profile/alice.example/post/3k2a
      archiver fetch archive.db https://news.example/story --private --json
    """
    from .db import check_creatable
    from .fetch import fetch_url
    from .store import IngestSummary

    check_creatable(db)  # a missing folder is said before anything is fetched
    allowed = True if allow_private else (list(allow_origins) if allow_origins else False)
    summary = IngestSummary()
    failures = []
    database = None
    for url in urls:
        try:
            source = fetch_url(url, allow_private=allowed, replies=replies, deadline=deadline, max_bytes=max_bytes)
        except ArchiverError as e:
            failures.append((url, e))
            continue
        source.private = private
        if database is None:
            from .db import open_db

            database = open_db(db)
        from .ingest import ingest_source

        summary.add(ingest_source(database, source))
    if database is not None:
        _make_private(database, summary)
        summary.settle(database.conn)
        database.conn.close()
    if as_json:
        doc = summary.to_json()
        doc["failed"] = [{"url": u, "error": str(e)} for u, e in failures]
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1))
    elif summary.sources_new or summary.sources_present:
        click.echo(_summary_text(summary))
    for _url, e in failures:
        click.echo(f"Error: {one_line(str(e))}", err=True)
    if failures:
        sys.exit(failures[0][1].exit_code)


@cli.command(name="import")
@db_argument
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--private", is_flag=True, help="Mark the export private: hidden from anonymous visitors. An export"
              " archived publicly before is made private (and said so).")
@json_option
@fail_cleanly
def import_(db, path, private, as_json):
    """Import a Twitter/X or Mastodon export.

    PATH is the export zip, its unpacked folder, or the data file itself (tweets.js / tweet.js,
    outbox.json). The account's self-reply trees become threads, its other posts single posts;
    t.co links are expanded and HTML entities decoded. The raw file is archived byte for byte, in
    one transaction: importing the same file again changes nothing.

    \b
    Examples:
      archiver import archive.db twitter-2024-11-09.zip
      archiver import archive.db data/tweets.js --json
      archiver import archive.db mastodon-archive/outbox.json --private
    """
    from .db import open_db
    from .imports import import_export

    database = open_db(db)
    try:
        summary = import_export(database, path, private=private)
        _make_private(database, summary)
    finally:
        database.conn.close()
    if as_json:
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(_summary_text(summary))


@cli.command()
@db_argument
@click.option("--near", is_flag=True,
              help="Also list near-duplicate pairs (reworded or edited copies) with their similarity.")
@json_option
@fail_cleanly
def duplicates(db, near, as_json):
    """List texts seen more than once, and where.

    An exact duplicate is the same text after normalisation (Unicode NFC, whitespace folded,
    invisible spacers and part markers removed): it is stored once and every place it was seen is
    kept. A near-duplicate pair is two different texts whose similarity is at least 0.8; both stay
    separate, nothing is merged. Not every such pair is listed: each text keeps its pairs with the
    three most similar texts archived before it, and a text with none before it its pair with the
    first one after it. Every text with a near duplicate is in at least one pair, while a cluster of
    templated texts (a bot's or a press service's) gives at most three pairs per text, not one per
    two texts.

    \b
    Examples:
      archiver duplicates archive.db
      archiver duplicates archive.db --near
      archiver duplicates archive.db --near --json | jq '.near[] | .similarity'
    """
    from .db import open_db
    from .queries import count_exact_groups, count_near_duplicate_pairs, exact_groups, near_duplicate_pairs

    database = open_db(db, create=False)
    groups = exact_groups(database)
    if as_json:  # {"exact": [...], "near": [...]}, written as it is read
        def document() -> Iterator[str]:
            yield '{\n "exact": '
            yield from json_array((g.to_json() for g in groups), level=1)
            if near:
                yield ',\n "near": '
                yield from json_array((p.to_json() for p in near_duplicate_pairs(database)), level=1)
            yield "\n}"

        echo_chunks(document())
        return
    click.echo(f"exact duplicates: {plural(count_exact_groups(database), 'text')} seen more than once")
    for g in groups:
        click.echo(f"{g.fragment_id}  {plural(len(g.sightings), 'sighting')}  {_snippet(g.text)}")
        for s in g.sightings:
            where = f"thread {s.thread_id} part {s.n}" if s.thread_id else "no thread"
            click.echo(f"    {one_line(s.source_name or '')} lines {s.line_start}-{s.line_end}  ({where})")
    if near:
        click.echo(f"near duplicates: {plural(count_near_duplicate_pairs(database), 'pair')}")
        for p in near_duplicate_pairs(database):
            click.echo(f"{p.fragment_a} ~ {p.fragment_b}  similarity {p.similarity:.3f}  ({p.method})")
            click.echo(f"    {_snippet(p.text_a)}  [thread {', '.join(p.threads_a) or '-'}]")
            click.echo(f"    {_snippet(p.text_b)}  [thread {', '.join(p.threads_b) or '-'}]")


@cli.command()
@db_argument
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite DEST if it exists.")
@json_option
@fail_cleanly
def snapshot(db, dest, replace, as_json):
    """Write a public copy of the archive to publish.

    Private sources and everything seen only in them are left out (the copy holds exactly what
    the public views show anonymous visitors), the full-text indexes are rebuilt, the
    near-duplicate index is left out (the next ingest into the file rebuilds it), and the file is
    vacuumed, verified and left as one file for `datasette serve -i`, `datasette publish` or
    `datasette package`. The archive itself is only read, and may be written meanwhile. Prints the
    snapshot's sha256, to publish with it.

    \b
    Examples:
      archiver snapshot archive.db snapshot.db
      archiver snapshot archive.db snapshot.db --replace --json
      datasette serve -i snapshot.db --metadata datasette-metadata.json --plugins-dir plugins --template-dir plugins/templates
    """
    from .snapshot import save_snapshot

    shown = not as_json and sys.stderr.isatty()
    result = save_snapshot(db, dest, replace=replace,
                           progress=(lambda what: click.echo(f"{what} ...", err=True)) if shown else None)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return
    removed = ", ".join(rows_of(n, t) for t, n in result.removed.items() if n) or "nothing private"
    click.echo(f"{one_line(str(dest))}: {result.bytes / 2**20:,.1f} MB (the archive {result.source_bytes / 2**20:,.1f} MB),"
               f" {rows_of(result.kept['sources'], 'sources')}, {rows_of(result.kept['fragments'], 'fragments')},"
               f" {rows_of(result.kept['threads'], 'threads')}; left out: {removed}")
    click.echo(f"sha256 {result.sha256}")


# What a row of each table is, to count rows in words (`1 source`, `3 sightings`).
ROW_WORDS = {"sources": "source", "fragments": "fragment", "threads": "thread", "thread_parts": "thread part",
             "sightings": "sighting", "dropped": "dropped span", "near_duplicates": "near-duplicate pair",
             "thread_aliases": "thread alias", "source_records": "source record", "fragment_bands": "band key"}


def rows_of(n: int, table: str) -> str:
    """`n` rows of a table in words: `1 source`, `2 sightings`, `3 rows of pub_threads`."""
    word = ROW_WORDS.get(table)
    if word is None:
        return plural(n, f"row of {table}", f"rows of {table}")
    return plural(n, word, "thread aliases" if word == "thread alias" else None)


def _snippet(text: str, width: int = 70) -> str:
    one = one_line(" ".join(text.split()))
    return one if len(one) <= width else one[:width - 1] + "…"
