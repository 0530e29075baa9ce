"""A plain pySHACL call with the shapes of shapes/: the yardstick for `coopkg validate` (same data, shapes).

    .venv/bin/python bench/pyshacl_plain.py DATA.nt

Exit codes as pySHACL's CLI: 0 conforms, 1 does not.
"""

import sys
from pathlib import Path

import pyshacl
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    shapes = Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    data = Graph().parse(sys.argv[1], format="nt")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    print(text[:2000])
    return 0 if conforms else 1


if __name__ == "__main__":
    sys.exit(main())
