"""The `coopkg` command: a thin click wrapper; each subcommand lives in its own module under coopkg.commands.

Subcommands are imported only when they run, so `coopkg build` does not pay for importing FastAPI.
"""

from __future__ import annotations

import importlib

import click

from coopkg import __version__

# name -> "module:attribute" of a click.Command
SUBCOMMANDS: dict[str, str] = {
    "build": "coopkg.commands.build:command",
    "programme": "coopkg.commands.programme:command",
    "load": "coopkg.commands.load:command",
    "query": "coopkg.commands.query:command",
    "validate": "coopkg.commands.validate:command",
    "serve": "coopkg.commands.serve:command",
    "search": "coopkg.commands.search:command",
}

_HELP = {
    "build": "Parse the programme sources into data/ (or --check that data/ is up to date).",
    "programme": "Add a programme: `programme init SOURCE --slug SLUG` writes its scaffold.",
    "query": "Run a named SPARQL query from queries/ on the shipped graph.",
    "validate": "Validate RDF against the SHACL shapes (pySHACL exit codes).",
    "serve": "Serve the graph: SPARQL endpoint, linked-data API and web pages.",
    "search": "Search commitments and the names of what they link to, in Chinese or English.",
    "load": "Replace every named graph in a store over the Graph Store Protocol (--to URL).",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, _HELP[name]) for name in sorted(SUBCOMMANDS)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coopkg")
def main() -> None:
    """coopkg: a knowledge graph of international cooperation commitments."""
