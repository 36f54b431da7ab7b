"""The exception hierarchy: every failure the CLI reports is one of these.

ArchiverError
├── InputError          bad or unusable input (missing file, empty paste, binary file)
│   └── UnusableInput   a file that holds no text (PDF, image, NUL bytes, empty)
├── UsageProblem        the command line itself is wrong (a folder given as the archive): exit 2
├── ArchiveError        the database cannot be opened, read or written
│   └── ArchiveBusy     another process holds the archive's write lock past the busy timeout
└── FetchError          a URL could not be fetched within the rules (see fetch.py)
"""

import re


class ArchiverError(Exception):
    """Base class of every error Thread Archiver raises on purpose."""

    exit_code = 1


class InputError(ArchiverError):
    """The input cannot be read or holds nothing to archive."""

    exit_code = 1


class UnusableInput(InputError):
    """The input is binary or empty: there is no text to reconstruct."""


class UsageProblem(ArchiverError):
    """The arguments are wrong (swapped, a folder where the archive goes): exit status 2, as for
    click's own usage errors."""

    exit_code = 2


class ArchiveError(ArchiverError):
    """The archive database cannot be opened, read or written."""

    exit_code = 1


class ArchiveBusy(ArchiveError):
    """Another connection kept the archive's write lock for longer than the busy timeout."""

    def __init__(self, waited: float, path: str | None = None):
        self.waited = waited
        self.path = path
        super().__init__(self.for_path(path))

    def for_path(self, path: object | None) -> str:
        """The one-line message, naming the archive as the user gave it."""
        subject = f"{path} is busy" if path is not None else "the archive is busy"
        return (f"{subject}: another archiver is writing to it (waited {self.waited:g} s);"
                " try again when it has finished")


class FetchError(ArchiverError):
    """A fetch failed: network error, refused address, oversize or binary body, bad status."""

    exit_code = 1


# Characters that would let a name or a message print more than the one line it is given: line
# ends and other control characters (a terminal acts on ESC sequences), Unicode line and paragraph
# separators, and the bidi controls that reorder what is shown around them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _escaped(m: re.Match) -> str:
    ch = m.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if ch in named:
        return named[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def one_line(text: str) -> str:
    """Text safe to print as (part of) one line: control characters, line separators and bidi
    controls shown as backslash escapes (`evil\\nError: x` stays on its line), the rest as is."""
    return _UNSAFE.sub(_escaped, text)
