"""The home page: what is loaded, and a box to ask a question."""

from __future__ import annotations

from flask import Blueprint, render_template

from communique.server import context

blueprint = Blueprint("pages", __name__)

EXAMPLE_QUERY = """SELECT ?country (COUNT(DISTINCT ?article) AS ?articles) WHERE {
  ?country a dip:Country ; rdfs:label ?name ; dip:mentionedAs ?m .
  ?m dip:inArticle ?article .
} GROUP BY ?country ORDER BY DESC(?articles) LIMIT 20"""


@blueprint.route("/")
def home() -> str:
    store = context.store()
    articles = store.select(
        """SELECT ?article ?headline ?date WHERE { GRAPH ?article {
             ?article a dip:Article ; schema:headline ?headline .
             OPTIONAL { ?article schema:datePublished ?date } } }
           ORDER BY DESC(?date) ?headline LIMIT 50"""
    )
    return render_template(
        "home.html",
        counts=store.counts(),
        last_modified=store.state().get("last_modified"),
        articles=articles,
        example_query=EXAMPLE_QUERY,
    )
