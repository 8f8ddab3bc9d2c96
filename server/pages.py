"""The home page: what is loaded, and a box to ask a question."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, render_template

from communique.server import analysis, context
from communique.server.links import link

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


# What each count on the home page lists, as a query the query page runs.
LISTINGS = {
    "articles": """SELECT ?article ?headline ?published WHERE {
  ?article a dip:Article ; schema:headline ?headline .
  OPTIONAL { ?article schema:datePublished ?published }
} ORDER BY DESC(?published) LIMIT 1000""",
    "actors": """SELECT ?actor ?name (COUNT(?m) AS ?mentions) WHERE {
  ?actor a/rdfs:subClassOf* dip:Actor ; rdfs:label ?name ; dip:mentionedAs ?m .
} GROUP BY ?actor ?name ORDER BY DESC(?mentions) LIMIT 1000""",
    "events": """SELECT ?event ?label ?type ?status WHERE {
  ?event a ?class ; rdfs:label ?label ; dip:status/rdfs:label ?status .
  ?class rdfs:subClassOf* dip:Event ; rdfs:label ?type .
} LIMIT 1000""",
    "statements": """SELECT ?statement ?speaker ?words WHERE {
  ?statement a dip:Statement ; dip:speaker/rdfs:label ?speaker .
  OPTIONAL { ?statement dip:content ?words }
} LIMIT 1000""",
}


@blueprint.route("/")
def home() -> str:
    return render_template(
        "home.html",
        counts=context.counts(),
        last_modified=context.store().state().get("last_modified"),
        articles=context.per_generation("latest", lambda: context.select(LATEST)),
        listings={name: "/query?" + urlencode({"query": q}) for name, q in LISTINGS.items()},
        link=link,
        example_query=EXAMPLE_QUERY,
        rel=analysis.relations(),
    )
