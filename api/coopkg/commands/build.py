"""`coopkg build`: parse the programme sources into data/generated/ (or `--check` that it is up to date)."""

from __future__ import annotations

from pathlib import Path

import click

from coopkg import resources
from coopkg.errors import CoopkgError
from coopkg.rdf.dataset import GENERATED_DIR


class _BuildFailed(click.ClickException):
    exit_code = 2  # as for `coopkg validate`: 2 means the input could not be used at all


@click.command(name="build")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 listing every generated file that differs from a fresh build.",
)
@click.option(
    "--source-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder holding programmes/, sources/, curated/ and sdg/ (default: the project's data/).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the generated files (default: <source-dir>/generated).",
)
@click.option(
    "--ontology-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding coopkg.ttl, counted in the VoID description (default: the project's ontology/).",
)
def command(check: bool, source_dir: Path | None, out: Path | None, ontology_dir: Path | None) -> None:
    """Parse the programme sources into data/generated/ (deterministic: same input, same bytes)."""
    # Imported here so that `coopkg --help` stays fast.
    from coopkg.reader.pipeline import BuildInputs, build_outputs, stale_files, write_outputs

    data_dir = source_dir or resources.data_dir()
    out_dir = out or data_dir / GENERATED_DIR
    try:
        outputs = build_outputs(BuildInputs(data_dir, ontology_dir or resources.ontology_dir()))
    except CoopkgError as error:
        raise _BuildFailed(error.detail) from error
    if check:
        problems = stale_files(out_dir, outputs)
        if problems:
            click.echo("data/generated is stale; run `coopkg build` and commit the result:", err=True)
            for problem in problems:
                click.echo(f"  {problem}", err=True)
            raise SystemExit(1)
        click.echo(f"{out_dir}: up to date ({len(outputs)} files)")
        return
    for name in write_outputs(out_dir, outputs):
        click.echo(f"wrote {out_dir / name}")
