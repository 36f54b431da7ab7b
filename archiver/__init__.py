"""Thread Archiver: rebuild social-media threads from messy text dumps into a searchable SQLite archive."""

__version__ = "0.1.0"
