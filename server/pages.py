"""The home page: what is loaded, and a box to ask a question."""

from __future__ import annotations

from flask import Blueprint, render_template

from communique.server import context

blueprint = Blueprint("pages", __name__)

# Who met whom: the question most users come with.
EXAMPLE_QUERY = """SELECT DISTINCT ?a ?b ?status ?place ?sentence WHERE {
  ?e a/rdfs:subClassOf* dip:Consult ; dip:status/rdfs:label ?status ;
     dip:participant ?x, ?y ; dip:evidence/dip:text ?sentence .
  ?x a dip:Person ; rdfs:label ?a . ?y a dip:Person ; rdfs:label ?b .
  OPTIONAL { ?e dip:location/rdfs:label ?place }
  FILTER(STR(?a) < STR(?b))
} LIMIT 100"""


LATEST = """SELECT ?article ?headline ?date WHERE { GRAPH ?article {
     ?article a dip:Article ; schema:headline ?headline .
     OPTIONAL { ?article schema:datePublished ?date } } }
   ORDER BY DESC(?date) ?headline LIMIT 50"""


@blueprint.route("/")
def home() -> str:
    return render_template(
        "home.html",
        counts=context.counts(),
        last_modified=context.store().state().get("last_modified"),
        articles=context.per_generation("latest", lambda: context.select(LATEST)),
        example_query=EXAMPLE_QUERY,
    )
