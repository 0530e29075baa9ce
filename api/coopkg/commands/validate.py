"""`coopkg validate [FILE ...]`: check RDF against the SHACL shapes, with pySHACL's exit codes.

No files: the shipped graph. Files: validated together, in the context of the ontology and the SDG taxonomy,
with the source texts their quotes come from. Exit 0 conforms, 1 does not (at the `--fail-on` level), 2 the
input is unusable (one line on stderr naming the file, line and column; never a traceback).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from coopkg.errors import UnusableInput
from coopkg.validation.inputs import FORMAT_NAMES
from coopkg.validation.render import RENDERERS, render_text

CONFORMS, DOES_NOT_CONFORM, UNUSABLE_INPUT = 0, 1, 2


class _TerminalProgress:
    """One self-overwriting status line on stderr, only when stderr is a terminal (never in pipes or logs)."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.started = time.monotonic()

    def __call__(self, stage: str) -> None:
        if self.enabled:
            elapsed = time.monotonic() - self.started
            click.echo(f"\r\033[K[{elapsed:6.1f}s] {stage}", err=True, nl=False)

    def done(self) -> None:
        if self.enabled:
            click.echo("\r\033[K", err=True, nl=False)


@click.command(name="validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "report_format",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="Report: a table grouped by severity and shape, or the SHACL report as JSON, Turtle, JSON-LD.",
)
@click.option(
    "--data-format",
    "data_format",
    metavar="|".join(FORMAT_NAMES),
    help="Syntax of FILES when their extension does not say (.ttl .trig .nt .nq .jsonld .rdf).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning"]),
    default="warning",
    show_default=True,
    help="Lowest severity that makes the exit status 1 (warning: any result, as pySHACL).",
)
@click.option(
    "--sources",
    "source_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory holding the source texts named by coop:sourceFile (repeatable; also searched: "
    "beside FILES, FILES' sources/ folder, and data/).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the messages in the text report.",
)
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: SPARQL rules run natively in pyoxigraph; pyshacl: everything in pySHACL (slow; same report).",
)
def command(
    files: tuple[Path, ...],
    report_format: str,
    data_format: str | None,
    fail_on: str,
    source_dirs: tuple[Path, ...],
    lang: str,
    engine: str,
) -> None:
    """Validate FILES (or, without FILES, the shipped graph) against the SHACL shapes in shapes/."""
    from coopkg.validation.run import validate_files, validate_shipped  # heavy imports only when run

    progress = _TerminalProgress()
    try:
        if files:
            report = validate_files(
                list(files),
                format_name=data_format,
                source_dirs=source_dirs,
                engine="pyshacl" if engine == "pyshacl" else "fast",
                progress=progress,
            )
        else:
            if data_format or source_dirs:
                raise UnusableInput("--data-format and --sources apply to FILES; none were given")
            report = validate_shipped(engine="pyshacl" if engine == "pyshacl" else "fast", progress=progress)
    except UnusableInput as error:
        progress.done()
        click.echo(f"coopkg validate: {error.detail}", err=True)
        raise SystemExit(UNUSABLE_INPUT) from None
    progress.done()
    if report_format == "text":
        click.echo(render_text(report, language=lang), nl=False)
    else:
        click.echo(RENDERERS[report_format](report), nl=False)
    raise SystemExit(DOES_NOT_CONFORM if report.fails_on(fail_on) else CONFORMS)
