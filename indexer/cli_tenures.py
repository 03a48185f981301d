"""``pressroom holders`` and ``pressroom official``: who held a post, and one official's profile.

Registered on the ``pressroom`` group by ``indexer.cli``; a thin layer over ``indexer.profiles``.
"""

from __future__ import annotations

import json

import click

from .cli import PressroomError, cli, engine, handle_errors, index_option, json_option
from .messages import message, releases_label
from .profiles import UnknownOfficialError, UnknownPostError, holders, official
from .search import UI_LANGUAGES
from .text import printable


def _ui_option(fn):
    return click.option(
        "--ui-lang", type=click.Choice(UI_LANGUAGES), default="en", show_default=True, help="Language of labels."
    )(fn)


@cli.command("holders")
@click.argument("post")
@index_option
@_ui_option
@json_option
@handle_errors
def holders_command(post: str, index: str, ui_lang: str, as_json: bool) -> None:
    """Who held POST, when, as the releases show it (oldest first).

    POST is any alias of a post in either language, like --role. Each holder row is one term:
    first and last release that names them in the post, and how many releases do.

    \b
    Example:
      pressroom holders "Attorney General" --json
    """
    with engine(index) as reader:
        try:
            data = holders(reader, post, ui_lang)
        except UnknownPostError:
            raise PressroomError(message("no_post_named", ui_lang, post=printable(post))) from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    seats = message("seats_single" if data["seats"] == "single" else "seats_multi", ui_lang)
    click.echo(printable(f"{data['label']} ({seats})"))
    for h in data["holders"]:
        acting = message("acting_mark", ui_lang) if h["acting"] else ""
        line = message(
            "holder_term",
            ui_lang,
            first=h["first_seen"],
            last=h["last_seen"],
            name=h["name"],
            acting=acting,
            releases=releases_label(h["releases"], ui_lang),
        )
        click.echo(printable(line))


@cli.command("official")
@click.argument("name")
@index_option
@json_option
@handle_errors
def official_command(name: str, index: str, as_json: bool) -> None:
    """The profile of the official NAME (any spelling): posts held and when, releases per month,
    who appears with them, agencies.

    \b
    Example:
      pressroom official "Marcelo Ebrard" --json
    """
    with engine(index) as reader:
        try:
            data = official(reader, name)
        except UnknownOfficialError:
            raise PressroomError(f"no official named {printable(name)}") from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(
        printable(data["name"]) + (printable(f" (also {', '.join(data['aliases'])})") if data["aliases"] else "")
    )
    click.echo(f"{releases_label(data['releases'])}, {data['first_seen'] or '?'} to {data['last_seen'] or '?'}")
    for p in data["posts"]:
        click.echo(
            printable(f"  {p['first_seen']} to {p['last_seen']}  {p['role']}  ({releases_label(p['releases'])})")
        )
    if data["appears_with"]:
        click.echo(printable("with: " + ", ".join(f"{w['name']} ({w['count']})" for w in data["appears_with"])))
    if data["agencies"]:
        click.echo(printable("agencies: " + ", ".join(f"{a['value']} ({a['count']})" for a in data["agencies"])))
