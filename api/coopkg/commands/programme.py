"""`coopkg programme init SOURCE --slug SLUG`: a new programme's scaffold from its text, ready to build."""

from __future__ import annotations

import re
from pathlib import Path

import click

from coopkg import resources
from coopkg.errors import CoopkgError, UnusableInput

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class _Unusable(click.ClickException):
    exit_code = 2  # as for `coopkg build` and `coopkg validate`: the input could not be used

    def show(self, file: object = None) -> None:  # one line, no usage text
        click.echo(f"coopkg programme init: {self.format_message()}", err=True)


@click.group(name="programme")
def command() -> None:
    """Add programmes: read a programme's text into a scaffold for `coopkg build`."""


@command.command(name="init")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--slug", required=True, help="The programme's slug: lower-case words joined by hyphens.")
@click.option(
    "--source-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder to write into (sources/, programmes/; default: the project's data/).",
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default=None, help="The text's language (default: detected)."
)
def init(source: Path, slug: str, source_dir: Path | None, lang: str | None) -> None:
    """Copy SOURCE unchanged into DATA/sources/ and write DATA/programmes/SLUG/{programme,prose}.ttl."""
    from coopkg.reader.init import init_programme, summary  # imported here so `coopkg --help` stays fast

    data_dir = source_dir or resources.data_dir()
    if not SLUG.fullmatch(slug):
        raise _Unusable(
            f"--slug {slug!r}: use lower-case letters, digits and single hyphens, e.g. cn-de-2025-2027"
        )
    try:
        result = init_programme(source, slug, data_dir, lang)
    except UnusableInput as error:
        raise _Unusable(error.detail) from error
    except CoopkgError as error:
        raise _Unusable(error.detail) from error
    click.echo(summary(result))
