"""Questions a user asks, as SPARQL over the diplomacy graph.

The query page lists them as ready examples; ``bench/quality.py`` answers
them on the shared sample articles.
"""

from __future__ import annotations

# Each answers with the IRIs of what it names (the query page shows their
# labels, linked), and each has answers on the bundled example articles.
QUESTIONS: dict[str, str] = {
    "Who met whom, and did it happen?": """
SELECT DISTINCT ?meeting ?a ?b ?status ?place WHERE {
  ?meeting a/rdfs:subClassOf* dip:Consult ; dip:status/rdfs:label ?status ;
     dip:participant ?a, ?b .
  ?a a dip:Person . ?b a dip:Person .
  OPTIONAL { ?meeting dip:location ?place }
  FILTER(STR(?a) < STR(?b))
} ORDER BY ?a ?b""",
    "Which visits are planned, and which happened?": """
SELECT ?visit ?visitor ?where ?status ?when WHERE {
  ?visit a dip:Visit ; dip:status/rdfs:label ?status ; dip:initiator ?visitor .
  OPTIONAL { ?visit dip:location ?where }
  OPTIONAL { ?visit dip:dateText ?when }
} ORDER BY ?visitor""",
    "Who holds which office?": """
SELECT DISTINCT ?person ?role ?title ?in WHERE {
  ?h a dip:PositionHolding ; dip:holder ?person ;
     dip:role/rdfs:label ?role ; dip:roleTitle ?title .
  OPTIONAL { ?h dip:inActor ?in }
} ORDER BY ?person""",
    "Who asked whom to do what?": """
SELECT ?request ?who ?whom ?status ?sentence WHERE {
  ?request a dip:Request ; dip:initiator ?who ; dip:status/rdfs:label ?status ;
     dip:evidence/dip:text ?sentence .
  OPTIONAL { ?request dip:recipient ?whom }
}""",
    "Which members does each organisation have?": """
SELECT ?organisation (GROUP_CONCAT(DISTINCT ?member; separator=", ") AS ?members) WHERE {
  ?m dip:memberOf ?organisation . ?m rdfs:label ?member .
} GROUP BY ?organisation""",
    "Who said what about whom?": """
SELECT ?statement ?speaker ?about ?words WHERE {
  ?statement a dip:Statement ; dip:speaker ?speaker ; schema:about ?about ;
     dip:quote|dip:content ?words .
} ORDER BY ?speaker ?about""",
    "Which weapons were found with whom, made where?": """
SELECT ?transfer ?weapon ?holder ?madeIn ?place ?sentence WHERE {
  ?transfer a dip:ArmsTransfer ; schema:object ?weapon ; dip:recipient ?holder ;
     dip:evidence/dip:text ?sentence .
  OPTIONAL { ?weapon dip:madeIn ?madeIn }
  OPTIONAL { ?transfer dip:location ?place }
}""",
    "Who stated what, and when?": """
SELECT ?statement ?speaker ?when ?date ?words WHERE {
  ?statement a dip:Statement ; dip:speaker ?speaker ; dip:quote|dip:content ?words .
  OPTIONAL { ?statement dip:dateText ?when }
  OPTIONAL { ?statement dip:date ?date }
} ORDER BY ?speaker""",
    "What did each speaker say about arms supplies?": """
SELECT ?statement ?speaker ?words WHERE {
  ?statement a dip:Statement ; dip:speaker ?speaker ; dip:topic dip:ArmsTrade ;
     dip:quote|dip:content ?words .
}""",
}
