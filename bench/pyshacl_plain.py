"""A plain pySHACL call with the shapes of shapes/: the yardstick for `coopkg validate` (same data, shapes).

    .venv/bin/python bench/pyshacl_plain.py DATA.nt

Exit codes as pySHACL's CLI: 0 conforms, 1 does not.
"""

import sys
from collections import Counter
from pathlib import Path

import pyshacl
from rdflib import Graph, Namespace

SH = Namespace("http://www.w3.org/ns/shacl#")

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    shapes = Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    data = Graph().parse(sys.argv[1], format="nt")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    # A summary, not the report: at 1M triples a full text report can run to megabytes.
    counts = Counter(
        (report.value(r, SH.resultSeverity), report.value(r, SH.sourceShape))
        for r in report.subjects(SH.resultSeverity, None)
    )
    print(f"conforms: {conforms}")
    for (severity, shape), n in sorted(counts.items(), key=str):
        print(f"{n:8d}  {severity.n3(report.namespace_manager)}  {shape.n3(report.namespace_manager)}")
    return 0 if conforms else 1


if __name__ == "__main__":
    sys.exit(main())
