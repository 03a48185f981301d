"""Pressroom's indexing library: release files in, a searchable Whoosh index out.

Nothing in this package imports Flask; the web front end (``webapp``) builds on it.
"""

__version__ = "0.1.0"
