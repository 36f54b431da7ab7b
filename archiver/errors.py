"""The exception hierarchy: every failure the CLI reports is one of these.

ArchiverError
├── InputError          bad or unusable input (missing file, empty paste, binary file)
│   └── UnusableInput   a file that holds no text (PDF, image, NUL bytes, empty)
├── ArchiveError        the database cannot be opened, read or written
└── FetchError          a URL could not be fetched within the rules (see fetch.py)
"""


class ArchiverError(Exception):
    """Base class of every error Thread Archiver raises on purpose."""

    exit_code = 1


class InputError(ArchiverError):
    """The input cannot be read or holds nothing to archive."""

    exit_code = 1


class UnusableInput(InputError):
    """The input is binary or empty: there is no text to reconstruct."""


class ArchiveError(ArchiverError):
    """The archive database cannot be opened, read or written."""

    exit_code = 1


class FetchError(ArchiverError):
    """A fetch failed: network error, refused address, oversize or binary body, bad status."""

    exit_code = 1
