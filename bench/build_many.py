"""How long `coopkg build` takes for 100 programmes the size of the first (goal: under 10 s).

    .venv/bin/python bench/build_many.py [--programmes 100] [--runs 3]

Writes N copies of the shipped programme (its source text, programme.ttl and prose.ttl under the slugs
bench-001 … bench-N) into a temporary data folder, then times the whole build (read, parse, build every
programme's graph, serialise, VoID) in process, as `coopkg build` runs it, and prints the best of the runs.
Nothing is written under data/.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from coopkg.reader.pipeline import BuildInputs, build_outputs, write_outputs

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SLUG = "cn-dk-green-2023-2026"


def make_data(folder: Path, count: int) -> None:
    """N copies of the first programme under other slugs, with the shipped curated and SDG folders."""
    shutil.copytree(DATA / "sdg", folder / "sdg")
    shutil.copytree(DATA / "curated", folder / "curated")
    (folder / "sources").mkdir()
    text = (DATA / "sources" / "000_e060dfadf5293257.txt").read_bytes()
    facts = (DATA / "programmes" / SLUG / "programme.ttl").read_text(encoding="utf-8")
    prose = (DATA / "programmes" / SLUG / "prose.ttl").read_text(encoding="utf-8")
    for number in range(1, count + 1):
        slug = f"bench-{number:03d}"
        (folder / "sources" / f"{slug}.txt").write_bytes(text)
        programme = folder / "programmes" / slug
        programme.mkdir(parents=True)
        (programme / "programme.ttl").write_text(
            facts.replace(SLUG, slug).replace("sources/000_e060dfadf5293257.txt", f"sources/{slug}.txt"),
            encoding="utf-8",
        )
        (programme / "prose.ttl").write_text(prose.replace(SLUG, slug), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        make_data(data, args.programmes)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            outputs = build_outputs(BuildInputs(data, ROOT / "ontology"))
            write_outputs(data / "generated", outputs)
            timings.append(time.perf_counter() - started)
        triples = sum(
            content.count(b"\n") for name, content in outputs.items() if name.startswith("programme-")
        )
    best = min(timings)
    print(
        f"build of {args.programmes} programmes the size of the first: best {best:.2f} s of {args.runs} runs "
        f"({', '.join(f'{t:.2f}' for t in timings)} s; {best / args.programmes * 1000:.1f} ms a programme; "
        f"{len(outputs)} files, ~{triples:,} lines of Turtle); "
        f"goal < 10 s: {'met' if best < 10 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
