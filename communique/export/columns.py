"""The columns of the events table: one table, read by the CSV and Parquet
writers (their header and schema), by ``docs/export.md``'s test (the documented
list is this list) and by the pandas read-back test (the types)."""

from __future__ import annotations

from dataclasses import dataclass

STRING, DATE, INTEGER, FLOAT = "string", "date", "integer", "float"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # STRING, DATE, INTEGER or FLOAT
    doc: str


COLUMNS: tuple[Column, ...] = (
    Column("event_iri", STRING, "the event's IRI (its page on the server)"),
    Column("date", DATE, "when the event happened or is planned: the first day of its period"),
    Column("date_precision", STRING, "day, month or year; empty when the text dates it not"),
    Column("date_text", STRING, "the date as the article writes it ('last Tuesday')"),
    Column("published", DATE, "the article's publication date"),
    Column("event_type", STRING, "PLOVER event type (CONSULT, AGREE, …)"),
    Column("event_class", STRING, "the ontology's class (Visit, Talks, ArmsTransfer, …)"),
    Column("cameo_code", STRING, "CAMEO code (text: '042' keeps its zero)"),
    Column("cameo_root", STRING, "CAMEO root code, its first two digits"),
    Column(
        "quad_class",
        INTEGER,
        "1 verbal cooperation, 2 material cooperation, 3 verbal "
        "conflict, 4 material conflict (GDELT's QuadClass)",
    ),
    Column("mode", STRING, "PLOVER mode where the class says it (visit, multilateral)"),
    Column("status", STRING, "occurred, planned, proposed or denied"),
    Column(
        "source_actor",
        STRING,
        "who acts (the initiators; when the text names none, "
        "every participant), labels joined by '; '",
    ),
    Column("source_actor_iri", STRING, "their IRIs, in the same order"),
    Column("source_country", STRING, "their countries (ISO 3166 alpha-3; UNO, EUR, IGO)"),
    Column("source_sector", STRING, "their PLOVER sector codes (GOV, MIL, LEG, REB, PTY)"),
    Column("target_actor", STRING, "who is acted on (the recipients), labels joined by '; '"),
    Column("target_actor_iri", STRING, "their IRIs"),
    Column("target_country", STRING, "their countries"),
    Column("target_sector", STRING, "their sector codes"),
    Column("participants", STRING, "every actor taking part, labels joined by '; '"),
    Column("place", STRING, "where it took place"),
    Column("place_iri", STRING, "the place's IRI"),
    Column("place_country", STRING, "the place's country (ISO 3166 alpha-3)"),
    Column("latitude", FLOAT, "the place's latitude (WGS84), where the gazetteer knows the town"),
    Column("longitude", FLOAT, "its longitude"),
    Column("confidence", FLOAT, "the probability, estimated on held-out data, that it is right"),
    Column("num_sources", INTEGER, "how many copies of the story state it (GDELT's NumSources)"),
    Column("sentence", STRING, "the sentence that states it"),
    Column("sentence_start", INTEGER, "where the sentence starts in the article's text"),
    Column("sentence_end", INTEGER, "where it ends (exclusive)"),
    Column("headline", STRING, "the article's headline"),
    Column("article_url", STRING, "the article's URL"),
    Column("article_iri", STRING, "the article's IRI"),
)

NAMES = tuple(column.name for column in COLUMNS)
