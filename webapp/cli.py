"""The ``pressroom`` console script: the indexer's commands plus ``serve``."""

from __future__ import annotations

from indexer.cli import cli


def main() -> None:
    """Entry point of the ``pressroom`` console script."""
    cli(prog_name="pressroom")
