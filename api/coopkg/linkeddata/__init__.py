"""Linked data for people and apps: IRI descriptions, the JSON-LD context and framing, pictures (SVG) and the
view models of the bilingual pages. Routers (`api/coopkg/web/routers/ids.py`, `rest.py`, `pages.py`) stay
thin over this.
"""
