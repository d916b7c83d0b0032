"""Validates RDF data against the eventgraph SHACL shapes with pySHACL.

Usage: validate_shapes.py SHAPES.ttl ONTOLOGY.ttl DATA.(trig|nq|ttl)

The data's graphs are merged into one graph (the seed keeps each source
document in its own named graph; the shapes speak of the content), the
ontology is given to pySHACL as the ontology graph so that RDFS subclass
inference applies. Exit status: 0 conforms, 1 does not conform, 2 failed.
"""

import sys

try:
    import pyshacl
    from rdflib import Dataset, Graph
except ImportError as error:  # pragma: no cover - reported to the Rust test
    print(f"cannot import pySHACL/rdflib: {error}; run scripts/test, which installs them", file=sys.stderr)
    sys.exit(2)


def main(shapes_path: str, ontology_path: str, data_path: str) -> int:
    dataset = Dataset()
    data_format = {"trig": "trig", "nq": "nquads", "ttl": "turtle", "nt": "nt"}[data_path.rsplit(".", 1)[-1]]
    dataset.parse(data_path, format=data_format)
    data = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    shapes = Graph().parse(shapes_path, format="turtle")
    ontology = Graph().parse(ontology_path, format="turtle")
    conforms, _, report = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs", abort_on_first=False
    )
    print(report)
    return 0 if conforms else 1


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
