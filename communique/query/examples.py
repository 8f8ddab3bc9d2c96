"""Questions a user asks, as SPARQL over the diplomacy graph.

The query page lists them as ready examples; ``bench/quality.py`` answers
them on the shared sample articles.
"""

from __future__ import annotations

QUESTIONS: dict[str, str] = {
    "Who met whom, and did it happen?": """
SELECT DISTINCT ?event ?a ?b ?status ?place WHERE {
  ?e a/rdfs:subClassOf* dip:Consult ; rdfs:label ?event ; dip:status ?s ;
     dip:participant ?x, ?y .
  ?x a dip:Person ; rdfs:label ?a . ?y a dip:Person ; rdfs:label ?b .
  ?s rdfs:label ?status .
  OPTIONAL { ?e dip:location/rdfs:label ?place }
  FILTER(STR(?a) < STR(?b))
} ORDER BY ?a ?b""",
    "Which visits are planned, and which happened?": """
SELECT ?visitor ?where ?status ?when ?event WHERE {
  ?e a dip:Visit ; rdfs:label ?event ; dip:status/rdfs:label ?status ;
     dip:initiator/rdfs:label ?visitor .
  OPTIONAL { ?e dip:location/rdfs:label ?where }
  OPTIONAL { ?e dip:dateText ?when }
} ORDER BY ?visitor""",
    "Who holds which office?": """
SELECT DISTINCT ?person ?role ?title ?in WHERE {
  ?h a dip:PositionHolding ; dip:holder/rdfs:label ?person ;
     dip:role/rdfs:label ?role ; dip:roleTitle ?title .
  OPTIONAL { ?h dip:inActor/rdfs:label ?in }
} ORDER BY ?person""",
    "Who asked whom to do what?": """
SELECT ?who ?whom ?status ?sentence WHERE {
  ?e a dip:Request ; dip:initiator/rdfs:label ?who ; dip:status/rdfs:label ?status ;
     dip:evidence/dip:text ?sentence .
  OPTIONAL { ?e dip:recipient/rdfs:label ?whom }
}""",
    "Which members does each organisation have?": """
SELECT ?organisation (GROUP_CONCAT(DISTINCT ?member; separator=", ") AS ?members) WHERE {
  ?m dip:memberOf ?o . ?m rdfs:label ?member . ?o rdfs:label ?organisation .
} GROUP BY ?organisation""",
    "Who said what about whom?": """
SELECT ?speaker ?about ?words WHERE {
  ?s a dip:Statement ; dip:speaker/rdfs:label ?speaker ; schema:about ?x ;
     dip:quote|dip:content ?words .
  ?x rdfs:label ?about .
} ORDER BY ?speaker ?about""",
    "Which weapons were found with whom, made where?": """
SELECT ?weapon ?holder ?madeIn ?place ?sentence WHERE {
  ?e a dip:ArmsTransfer ; schema:object ?w ; dip:recipient/rdfs:label ?holder ;
     dip:evidence/dip:text ?sentence .
  ?w rdfs:label ?weapon .
  OPTIONAL { ?w dip:madeIn/rdfs:label ?madeIn }
  OPTIONAL { ?e dip:location/rdfs:label ?place }
}""",
    "Who stated what, and when?": """
SELECT ?speaker ?when ?date ?words WHERE {
  ?s a dip:Statement ; dip:speaker/rdfs:label ?speaker ; dip:quote|dip:content ?words .
  OPTIONAL { ?s dip:dateText ?when }
  OPTIONAL { ?s dip:date ?date }
} ORDER BY ?speaker""",
    "What did each speaker say about arms supplies?": """
SELECT ?speaker ?words WHERE {
  ?s a dip:Statement ; dip:speaker/rdfs:label ?speaker ; dip:topic dip:ArmsTrade ;
     dip:quote|dip:content ?words .
}""",
}
