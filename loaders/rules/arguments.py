"""Which actors a phrase refers to: names, conjunctions, pronouns, titles,
"his Russian counterpart", and group references such as "the ministers".

Rules read the dependency parse; a phrase is given by its head token.
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.loaders.lexicon.tables import word_set
from communique.loaders.model import COUNTRY, ORGANIZATION, PERSON, PLACE, Extraction
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.rules.state import ArticleState

PERSON_PRONOUNS = word_set("person_pronouns")
GROUP_PRONOUNS = word_set("group_pronouns")
GROUP_HEADS = word_set("group_heads")
PHRASE_DEPS = {"compound", "amod", "nmod", "poss", "appos", "flat"}


def phrase_actors(state: ArticleState, unit: ParsedUnit, head: Token) -> list[str]:
    """The actors a phrase names, with its coordinated siblings ('X and Y')."""
    found: list[str] = []
    conjuncts = [c for c in _conjuncts(head) if not _displaced_place(state, unit, head, c)]
    for token in [*_coordinated_modifiers(unit, head), head, *conjuncts]:
        for actor_id in _single_phrase(state, unit, token):
            if actor_id not in found:
                found.append(actor_id)
    return found


def displaced_places(state: ArticleState, unit: ParsedUnit, head: Token) -> list[str]:
    """The places the parser joined to the head instead of to its 'in' phrase."""
    found = [unit.actor_of(c) for c in _conjuncts(head) if _displaced_place(state, unit, head, c)]
    return [a for a in found if a is not None]


def _displaced_place(state: ArticleState, unit: ParsedUnit, head: Token, conj: Token) -> bool:
    """'the fight against Boko Haram in Nigeria and Chad': the small model coordinates
    Chad with Boko Haram, not with Nigeria. A place coordinated with an actor that is itself
    placed 'in' somewhere belongs to that place phrase, not to the actors."""
    conj_actor, head_actor = unit.actor_of(conj), unit.actor_of(head)
    if conj_actor is None or head_actor is None or not is_place(state, conj_actor):
        return False
    return not is_place(state, head_actor) and any(
        child.dep_ == "prep"
        and child.lower_ in ("in", "across")
        and any(is_place(state, unit.actor_of(p) or "") for p in child.children)
        for child in head.children
    )


def _coordinated_modifiers(unit: ParsedUnit, head: Token) -> list[Token]:
    """'Secretary of State Ruiz and Secretary of Defense Salas will host': the small
    model sometimes hangs the first of two titled names on the second as a modifier
    that keeps its 'and'; that modifier is a coordinated sibling, not a qualifier."""
    return [
        child
        for child in head.children
        if child.dep_ in ("nmod", "compound")
        and child.i < head.i
        and any(c.dep_ == "cc" for c in child.children)
        and unit.actor_of(child) not in (None, unit.actor_of(head))
    ]


def actors_only(state: ArticleState, actor_ids: list[str]) -> list[str]:
    """Drop places: only persons, countries and organisations act or speak."""
    return [a for a in actor_ids if state.extraction.actors[a].kind != "Place"]


def _conjuncts(token: Token) -> list[Token]:
    result = []
    for child in token.children:
        if child.dep_ == "conj":
            result.append(child)
            result.extend(_conjuncts(child))
    return result


SENT_BY_OWNER = word_set("sent_by_owner")
RELATIVE_PRONOUNS = word_set("relative_pronouns")


def _single_phrase(state: ArticleState, unit: ParsedUnit, head: Token) -> list[str]:
    direct = unit.actor_of(head)
    if direct is not None:
        return [direct]
    titled = unit.title_holder_at.get(head.i)
    if titled is not None:
        return [titled]  # "Special Envoy for X Pablo Ortega will lead": the parser's head
    if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
        return phrase_actors(state, unit, head.head.head)  # "Keating, who was killed"
    referred = _reference(state, unit, head)
    if referred is not None:
        return referred
    for child in head.children:
        if child.dep_ in PHRASE_DEPS and unit.actor_of(child):
            return [unit.actor_of(child)]  # type: ignore[list-item]
    owners = ("of", "from") if head.lower_ in SENT_BY_OWNER else ("of",)
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in owners:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return phrase_actors(state, unit, pobj)
    return []


def _reference(state: ArticleState, unit: ParsedUnit, head: Token) -> list[str] | None:
    """Pronouns, counterparts and group references; None when the head is none of them."""
    lower = head.lower_
    if lower in PERSON_PRONOUNS:
        person = state.last_person_before(unit, head)
        return [person] if person else []
    if lower in GROUP_PRONOUNS:
        if _empty_it(head):
            return []
        antecedent = state.last_actor_before(unit, head, (COUNTRY, ORGANIZATION))
        return [antecedent] if antecedent else []
    if lower == "counterpart" or lower == "counterparts":
        return counterpart(state, unit, head)
    if lower in GROUP_HEADS and _is_group_reference(head):
        if lower in ("countries", "nations"):
            return state.principal(COUNTRY)
        kind = PERSON if lower in ("ministers", "leaders", "men", "presidents") else None
        return _group(state, kind)
    return None


def _empty_it(pronoun: Token) -> bool:
    """'it is worthwhile to …', 'it is essential that …': an 'it' that stands for
    nothing, the subject of 'be' with an adjective of judgement ('it was ready to'
    still stands for a country)."""
    verb = pronoun.head
    return (
        pronoun.lower_ == "it"
        and pronoun.dep_ == "nsubj"
        and verb.lemma_ == "be"
        and any(c.dep_ == "acomp" and c.lemma_ in JUDGEMENT_ADJECTIVES for c in verb.children)
    )


def _is_group_reference(head: Token) -> bool:
    """'the ministers', 'both sides', 'the two', but not 'two ministers of X'."""
    determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod", "predet")}
    has_of = any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
    if head.lower_ == "two":
        return head.dep_ in ("nsubj", "pobj", "dobj") and "the" in {
            t.lower_ for t in head.doc[max(head.i - 1, 0) : head.i]
        }
    return bool(determiners & {"the", "both", "two"}) and not has_of


def _group(state: ArticleState, kind: str | None) -> list[str]:
    persons = state.principal(PERSON)
    if (kind == PERSON or kind is None) and len(persons) == 2:
        return persons
    countries = state.principal(COUNTRY)
    # "the two ministers discussed the war in Yemen": one country is what they talk
    # about, not who they are; a group stands for two sides
    return countries if len(countries) == 2 else []


def counterpart(state: ArticleState, unit: ParsedUnit, head: Token) -> list[str]:
    """'his Russian counterpart': a person of that country, else the other principal person;
    'his Russian counterparts', 'coalition counterparts': the country or organisation
    they represent."""
    group = [
        unit.actor_of(c)
        for c in head.children
        if c.dep_ in ("amod", "compound")
        and is_actor_kind(state.extraction, unit.actor_of(c) or "", ORGANIZATION)
    ]
    if head.lower_ == "counterparts" and group:
        return [group[0]]  # type: ignore[list-item]
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    owner_id = state.last_person_before(unit, head) if owner is not None else None
    country = next(
        (
            unit.actor_of(c)
            for c in head.children
            if c.dep_ in ("amod", "compound") and unit.actor_of(c)
        ),
        None,
    )
    country_code = country.split(":", 1)[1] if country else None
    if (
        head.lower_ == "counterparts"
        and country
        and is_actor_kind(state.extraction, country, COUNTRY)
    ):
        return [country]  # "his Peruvian counterparts": officials of Peru, not one person
    candidates = [p for p in state.principal(PERSON, count=10) if p != owner_id]
    if country_code is None:
        return candidates[:1]
    for person in candidates:
        if state.nationality.get(person) == country_code:
            return [person]
    # nobody of that country is named: a person whose country is not known may be
    # the one; one known to be of another country is not, and the country is
    # then the side the counterpart stands for
    unknown = [p for p in candidates if p not in state.nationality]
    if unknown or country is None or not is_actor_kind(state.extraction, country, COUNTRY):
        return unknown[:1]
    return [country]


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, inherited through 'X met Y and paid a visit', or the owner
    of the effort it completes ('its efforts to disarm the militia')."""
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return child
        if current.dep_ in ("acl", "xcomp") and current.head.pos_ == "NOUN":
            owner = _owner_of(current.head)
            if owner is not None:
                return owner
        if _own_effort(current):
            current = current.head.head  # "the group steps up its efforts to counter X"
            continue
        if current.dep_ == "xcomp":
            direct = next((c for c in current.head.children if c.dep_ == "dobj"), None)
            direct = direct or _called_on(current.head)
            if direct is not None:
                return direct  # "want Chile to press", "called on Chile to press": Chile
        if _infinitive_after_comment(current):
            break  # "X comments on the mission to retake Gao": X retakes nothing
        if current.dep_ in ("conj", "xcomp", "advcl", "acomp") and current.head is not current:
            current = current.head
        elif _completes_to(current):
            current = current.head.head  # "Hamas is committed to destroying X": Hamas
        else:
            break
    return None


def _completes_to(token: Token) -> bool:
    """A gerund completing 'to' after a verb or adjective ('committed to destroying',
    'admitted to attacking') has the subject of that word as its own."""
    return (
        token.dep_ == "pcomp"
        and token.head.dep_ == "prep"
        and token.head.lower_ == "to"
        and token.head.head.pos_ in ("VERB", "ADJ", "AUX")
    )


JUDGEMENT_ADJECTIVES = word_set("judgement_adjectives")
INTENT_NOUNS = word_set("intent_nouns")
COMMENT_VERBS = word_set("comment_verbs")
OWN_EFFORT_VERBS = word_set("own_effort_verbs")


def _own_effort(verb: Token) -> bool:
    """The verb completes an 'efforts' noun that the subject of the clause makes."""
    effort = verb.head
    return (
        verb.dep_ == "acl"
        and effort.lemma_ == "effort"
        and effort.dep_ == "dobj"
        and effort.head.lemma_ in OWN_EFFORT_VERBS
    )


def _owner_of(noun: Token) -> Token | None:
    """Whose a noun is: its possessor ('its efforts to disarm'), else, for a plan or a
    mission, a demonym before it ('the Peruvian mission to retake Arica')."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None or noun.lemma_ not in INTENT_NOUNS:
        return owner
    return next((c for c in noun.children if c.dep_ == "amod" and c.ent_type_ == "NORP"), None)


def _infinitive_after_comment(verb: Token) -> bool:
    """'to retake Gao' hung on 'comments', where it belongs to a noun before it."""
    return (
        verb.dep_ == "advcl"
        and verb.head.lemma_ in COMMENT_VERBS
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _called_on(verb: Token) -> Token | None:
    """Chile in 'called on Chile to withdraw'."""
    if verb.lemma_ != "call":
        return None
    return next(
        (
            pobj
            for prep in verb.children
            if prep.dep_ == "prep" and prep.lower_ in ("on", "upon")
            for pobj in prep.children
            if pobj.dep_ == "pobj"
        ),
        None,
    )


def subject_actors(state: ArticleState, unit: ParsedUnit, subject: Token) -> list[str]:
    """The actors of a subject with those acting beside it: a second subject the parser
    hung on the same verb, and 'along with' / 'together with' phrases ('X, along with Y
    and Z, are taking part')."""
    found = phrase_actors(state, unit, subject)
    if subject.dep_ not in ("nsubj", "nsubjpass", "dep") and found:
        return found  # "Norway urged Chile to attack": Chile is an object, Norway no co-actor
    # an object that names nobody ("they started their push to encircle Gao") leaves
    # the verb's subject as the actor
    verb = subject.head
    for sibling in verb.children:
        if sibling.i == subject.i:
            continue
        if sibling.dep_ == "nsubj" or _stray_subject(sibling, verb):
            heads = [sibling]
        elif sibling.dep_ == "prep" and sibling.lower_ in ("along", "together"):
            heads = [
                pobj
                for with_ in sibling.children
                if with_.lower_ == "with"
                for pobj in with_.children
                if pobj.dep_ == "pobj"
            ]
        else:
            continue
        for head in heads:
            found += [a for a in phrase_actors(state, unit, head) if a not in found]
    return found


def _stray_subject(token: Token, verb: Token) -> bool:
    """A noun the parser left unattached ('dep') before the verb, as the first item of a
    list of subjects: 'About 30,000 personnel, Kurdish fighters and … launched'."""
    return token.dep_ == "dep" and token.pos_ in ("NOUN", "PROPN") and token.i < verb.i


def is_actor_kind(extraction: Extraction, actor_id: str, *kinds: str) -> bool:
    actor = extraction.actors.get(actor_id)
    return actor is not None and actor.kind in kinds


def verb_subject(verb: Token) -> tuple[Token | None, bool]:
    subject = subject_of(verb)
    if verb.dep_ == "xcomp" and subject is not None and subject.head.i == verb.head.i:
        # "want Chile to press": the object of the head verb does the pressing
        direct = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if direct is not None:
            return direct, False
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    return subject, passive


def verb_objects(state: ArticleState, unit: ParsedUnit, verb: Token) -> list[str]:
    found = direct_objects(state, unit, verb)
    found += prep_objects(state, unit, verb, ("with", "to", "on", "upon", "against", "for", "from"))
    return list(dict.fromkeys(found))  # one actor named in several phrases is one object


def direct_objects(state: ArticleState, unit: ParsedUnit, verb: Token) -> list[str]:
    found: list[str] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "iobj"):
            found += phrase_actors(state, unit, child)
    return found


def prep_objects(
    state: ArticleState, unit: ParsedUnit, head: Token, prepositions: tuple[str, ...]
) -> list[str]:
    """Actors in the head's prepositional phrases (towns and regions are places, not
    parties: 'went to Lima' names no recipient, 'sold to the Philippines' does)."""
    return [
        a
        for a in prep_actors(state, unit, head, prepositions)
        if state.extraction.actors[a].kind != PLACE
    ]


def prep_actors(
    state: ArticleState, unit: ParsedUnit, head: Token, prepositions: tuple[str, ...]
) -> list[str]:
    """Every actor, places included, in the head's phrases with these prepositions."""
    return [
        a
        for child in head.children
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in prepositions
        for pobj in child.children
        if pobj.dep_ == "pobj"
        for a in phrase_actors(state, unit, pobj)
    ]


def is_place(state: ArticleState, actor_id: str) -> bool:
    actor = state.extraction.actors.get(actor_id)
    return actor is not None and actor.kind in (PLACE, COUNTRY)


def written_after_towns(unit: ParsedUnit, towns: list[str]) -> set[str]:
    """Actors written right after one of the towns and a comma ('Afmadow, Somalia'): the
    country only says where the town is."""
    return {
        actor_id
        for i, actor_id in unit.actor_at.items()
        if i >= 2 and unit.doc[i - 1].text == "," and unit.actor_at.get(i - 2) in towns
    }


def is_armed(state: ArticleState, actor_id: str) -> bool:
    """An armed group or a country's armed forces."""
    actor = state.extraction.actors.get(actor_id)
    return actor is not None and (
        actor.dip_class == "ArmedGroup" or actor.key.startswith("armed-forces-")
    )


def is_town(state: ArticleState, actor_id: str) -> bool:
    """A place that is not a country: a city, a town, a region."""
    actor = state.extraction.actors.get(actor_id)
    return actor is not None and actor.kind == PLACE
