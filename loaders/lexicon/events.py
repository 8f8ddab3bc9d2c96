"""The words that state events, and how their arguments map to roles, read from
the lexicon's tables (``data/verbs.tsv``, ``nouns.tsv``, ``object_frames.tsv``,
``class_groups.tsv``, ``words.tsv``) and checked against the ontology when
first read: a class a row names that the ontology lacks stops the process.

A verb frame names the event class and how the parse maps to roles:
- ``act``: the subject acts on the object (initiator -> recipient);
- ``mutual``: the subject (and any "with" object) take part together;
- ``visit``: the subject visits the object (a place gives the location);
- ``travel``: the subject goes to a place (the visit's destination);
- ``host``: the subject hosts the object (so the object is the initiator);
- ``transfer``: the subject gives the object to the "to" phrase.

The class hierarchy comes from the ontology: the consultative classes are
those below ``dip:Consult``, and what a stated intention to act is (an offer
or a threat) is the ``dip:intentionClass`` of the act's class.
"""

from __future__ import annotations

from communique.classes import EventClass as EC
from communique.classes import annotation, event_classes, subclasses
from communique.loaders.lexicon.tables import LexiconError, Row, read_table, word_set

ACT, MUTUAL, VISIT, TRAVEL, HOST, TRANSFER = "act", "mutual", "visit", "travel", "host", "transfer"
FRAMES = frozenset({ACT, MUTUAL, VISIT, TRAVEL, HOST, TRANSFER})


def _event_class(row: Row, column: str = "class") -> str:
    name = row[column]
    if name not in event_classes():
        raise row.problem(f"{name!r} is not an event class of the ontology (dip:{name})")
    return name


VERB_COLUMNS = ("lemma", "class", "frame", "note")


def verb_frames() -> dict[str, tuple[str, str]]:
    """Lemma -> (event class, frame), from ``verbs.tsv``."""
    frames: dict[str, tuple[str, str]] = {}
    for row in read_table("verbs.tsv", VERB_COLUMNS, ("lemma", "class")):
        if row["frame"] not in FRAMES:
            raise row.problem(f"frame {row['frame']!r} is not one of {', '.join(sorted(FRAMES))}")
        if row["lemma"] in frames:
            raise row.problem(f"{row['lemma']!r} has a frame already")
        frames[row["lemma"]] = (_event_class(row), row["frame"])
    return frames


def _noun_triggers() -> dict[str, str]:
    nouns: dict[str, str] = {}
    for row in read_table("nouns.tsv", ("noun", "class", "note"), ("noun", "class")):
        if row["noun"] in nouns:
            raise row.problem(f"{row['noun']!r} has a class already")
        nouns[row["noun"]] = _event_class(row)
    return nouns


def _objects(row: Row) -> frozenset[str]:
    """'@ties|membership': the words of a named set and single words."""
    words: set[str] = set()
    for part in row["objects"].split("|"):
        words |= word_set(part[1:]) if part.startswith("@") else {part}
    return frozenset(words)


def _object_frames() -> dict[str, tuple[tuple[frozenset[str], str], ...]]:
    """Verbs that state an event only with a certain kind of object, in the order
    of the table (the first frame whose words the object has wins)."""
    frames: dict[str, list[tuple[frozenset[str], str]]] = {}
    columns = ("verb", "objects", "class", "note")
    for row in read_table("object_frames.tsv", columns, ("verb", "objects", "class")):
        frames.setdefault(row["verb"], []).append((_objects(row), _event_class(row)))
    return {verb: tuple(found) for verb, found in frames.items()}


def class_group(name: str) -> frozenset[str]:
    """The event classes a group of ``class_groups.tsv`` holds."""
    rows = [
        row
        for row in read_table("class_groups.tsv", ("group", "class", "why"), ("group", "class"))
        if row["group"] == name
    ]
    if not rows:
        raise LexiconError(f"class_groups.tsv: no group named {name!r}")
    if not rows[0]["why"].strip():
        raise rows[0].problem(f"the first row of group {name!r} must say why the group exists")
    return frozenset(_event_class(row) for row in rows)


def _intention_classes() -> dict[str, str]:
    """Event class -> the class of a stated intention to carry it out."""
    found = {}
    for cls in event_classes():
        targets = annotation(cls, "intentionClass")
        if targets:
            found[cls] = targets[0]
    return found


VERB_FRAMES = verb_frames()
NOUN_TRIGGERS = _noun_triggers()
OBJECT_FRAMES = _object_frames()

CONSULTATIVE = subclasses(EC.Consult)
# What stating an intention to act is: a threat (to sanction, attack …) or an offer
# (to aid, meet …); dip:intentionClass in the ontology.
INTENTION_CLASS = _intention_classes()
TARGET_ONLY = class_group("target_only")
JOINT_ACTION_CLASSES = class_group("joint_action")
BACKING_CLASSES = class_group("backing")
GOVERNED_NOUN_CLASSES = class_group("governed_noun")
SPEECH_ACT_CLASSES = class_group("speech_acts")
TARGETED_NOUN_CLASSES = class_group("targeted_noun")
COUNTRY_MODIFIER_ACTS = class_group("country_modifier_acts")

MUTUAL_OBJECT_VERBS = word_set("mutual_object_verbs")
NOT_COMBAT = word_set("not_combat")
APPROACH_VERBS = word_set("approach_verbs")
# "closing in on Gao": the particle an approach verb needs.
APPROACH_PARTICLES = {"close": "in"}
PROTEST_AIMS = word_set("protest_aims")
ALONGSIDE = word_set("alongside")
ROADS = word_set("roads")
TIES = word_set("ties")
INSPECTORS = word_set("inspectors")
BUNDLE_NOUNS = word_set("bundle_nouns")
HOSTING_PARTICIPLES = word_set("hosting_participles")
PLACE_OF_NOUNS = word_set("place_of_nouns")
TARGET_OF_NOUNS = word_set("target_of_nouns")
NEEDS_OF_TARGET = word_set("needs_of_target")
NEEDS_AGAINST = word_set("needs_against")
FIGHTING_NOUNS = word_set("fighting_nouns")
SUPPORT_VERBS = word_set("support_verbs")
PARTICIPATION_VERBS = word_set("participation_verbs")
PROTEST_STRIKES = word_set("protest_strikes")
NEEDS_LIGHT_VERB = word_set("needs_light_verb")
LIGHT_VERBS = word_set("light_verbs")
ARMS_WORDS = word_set("arms_words")
FOUND_VERBS = word_set("found_verbs")
HOLDING_NOUNS = word_set("holding_nouns")
AID_WORDS = word_set("aid_words")
# What is received as a delivery, not as a visitor: "received a shipment of tanks".
DELIVERED_WORDS = ARMS_WORDS | AID_WORDS
NEED_ACTOR_OBJECT = word_set("need_actor_object")
STRUCK_PEOPLE_AND_PLACES = word_set("struck_people_and_places")
STRIKES_PEOPLE_AND_PLACES = word_set("strikes_people_and_places")
OWN_OBJECT_VERBS = word_set("own_object_verbs")
SATISFY_VERBS = word_set("satisfy_verbs")
SATISFIED_NOUNS = word_set("satisfied_nouns")
FROM_PLACE_VERBS = word_set("from_place_verbs")
WILLINGNESS = word_set("willingness")
APPROVAL_VERBS = word_set("approval_verbs")
PLANNING_WORDS = word_set("planning_words")
COMMITMENT_VERBS = word_set("commitment_verbs")
PROPOSAL_WORDS = word_set("proposal_words")
NEGATIONS = word_set("negations")
REPORT_NOUNS = word_set("report_nouns")
NEEDS_TWO_SIDES = word_set("needs_two_sides")
DENIAL_VERBS = word_set("denial_verbs")
UNPERFORMED_VERBS = word_set("unperformed_verbs")
POSTPONING_VERBS = word_set("postponing_verbs")
OBLIGATION_VERBS = word_set("obligation_verbs")
CLAIM_NOUNS = word_set("claim_nouns")
OBLIGATION = word_set("obligation")
DEMANDING_SPEECH = word_set("demanding_speech")

# Every word that can start an event rule: the cheap first filter over a paragraph.
TRIGGER_WORDS = (
    frozenset(VERB_FRAMES)
    | frozenset(OBJECT_FRAMES)
    | frozenset(NOUN_TRIGGERS)
    | ALONGSIDE
    | OBLIGATION
    | FOUND_VERBS
)
