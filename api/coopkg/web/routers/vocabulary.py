"""`/api/vocabulary`: what the query editor completes (prefixes, ontology terms, SDG goals and targets, with
labels), rendered once per data version."""

from __future__ import annotations

from fastapi import APIRouter, Response

from coopkg.linkeddata.vocabulary import vocabulary, vocabulary_json
from coopkg.web.dependencies import SiteDep, StoreDep
from coopkg.web.openapi import problems

router = APIRouter(prefix="/api", tags=["resources"], responses=problems(503))


@router.get(
    "/vocabulary",
    summary="The query editor's completion vocabulary: prefixes, ontology terms, SDG goals and targets",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "prefixes": {"coop": "https://w3id.org/coopkg/def#"},
                        "terms": [
                            {
                                "name": "coop:Commitment",
                                "iri": "https://w3id.org/coopkg/def#Commitment",
                                "kind": "class",
                                "label": {"en": "Commitment", "zh": "承诺"},
                                "definition": "Something the parties undertake to do...",
                            }
                        ],
                    }
                }
            }
        }
    },
)
async def completion_vocabulary(site_: SiteDep, store_: StoreDep) -> Response:
    version = store_.version
    body = site_.rendered.get(version, ("vocabulary",))
    if body is None:
        body = site_.rendered.put(version, ("vocabulary",), vocabulary_json(await vocabulary(store_)))
    return Response(body, media_type="application/json", headers={"Cache-Control": "public, max-age=300"})
