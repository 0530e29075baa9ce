"""SHACL validation used by `coopkg validate` and `POST /validate`.

`run` says what is validated (the shipped graph, files, an upload) in which context; `engine` runs the shapes
(pySHACL for core SHACL, the SHACL-SPARQL rules natively in pyoxigraph); `report` and `render` turn the result
into what people and programs read. Nothing is imported or loaded until a function is called.
"""
