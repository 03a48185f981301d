"""The ``pressroom`` console script: the indexer's commands plus ``serve``."""

from __future__ import annotations

import click

from indexer.cli import chosen_backend, cli, handle_errors, index_option, run


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; 0.0.0.0 to serve the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker running the app (searching is CPU-bound: more threads help long exports).",
)
@handle_errors
def serve(index: str, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the search site and API (gunicorn processes, asyncio connections; never Flask's
    development server).

    Each worker follows the index's CURRENT pointer and its commits, so a build, update or
    delete is served without a restart. Prints the URL once the server answers.

    \b
    Example:
      pressroom serve --index index --port 8000
    """
    from .serve import serve as run

    run(index, host=host, port=port, workers=workers, threads=threads, backend=chosen_backend())


def main() -> None:
    """Entry point of the ``pressroom`` console script."""
    run(cli)


if __name__ == "__main__":  # pragma: no cover
    main()
