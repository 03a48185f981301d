"""Pressroom's web front end (Flask); it talks to the index only through ``indexer``."""
