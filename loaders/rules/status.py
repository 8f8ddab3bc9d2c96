"""Whether an event happened, is planned, is only proposed, or is denied.

The rules walk from the trigger up the words that govern it ("is scheduled
to go", "the possibility of visits", "doesn't sell") and stop at the first
that decides. Negation wins; then the nearest word of planning or proposal.
"""

from __future__ import annotations

import itertools

from spacy.tokens import Token

from communique.loaders.lexicon import events as tr
from communique.loaders.lexicon.tables import word_set
from communique.loaders.model import DENIED, OCCURRED, PLANNED, PROPOSED

GOVERNING_DEPS = {
    "xcomp",
    "ccomp",
    "dobj",
    "nsubj",
    "nsubjpass",
    "pobj",
    "prep",
    "acl",
    "conj",
    "advcl",
    "attr",
    "compound",
}
MAX_STEPS = 5
PLAN_NOUNS = word_set("plan_nouns")


def status_of(trigger: Token) -> str:
    """The status of the event the trigger states.

    The trigger's own word never decides ("urged" is a request that happened);
    an event inside a request or proposal ("urged Israel not to dismiss") is
    proposed, whether or not it is negated.
    """
    chain = _chain(trigger)
    if _denied(chain):
        return DENIED
    if _postponed(chain):
        return PLANNED
    if _still_owed(chain):
        return PROPOSED
    governing = next((d for d in (_decides(t) for t in chain[1:]) if d is not None), None)
    if governing == PROPOSED:
        return PROPOSED
    if (
        _negated(trigger)
        or (trigger.dep_ in ("dobj", "xcomp") and _negated(trigger.head))
        or _unperformed(chain)
    ):
        return DENIED
    return _decides(trigger, own_word=False) or governing or OCCURRED


def _denied(chain: list[Token]) -> bool:
    """'Peru denied that it had attacked Chile', 'denied attacking', 'rejected claims
    that its troops shelled Arica': the event is what someone denies ('denied Peru's
    request' still says that the request was made)."""
    for below, above in itertools.pairwise(chain):
        if above.lemma_ not in tr.DENIAL_VERBS:
            continue
        if below.dep_ in ("ccomp", "xcomp"):
            return True
        if below.dep_ == "dobj" and below.lower_ in tr.CLAIM_NOUNS:
            return True
    return False


def _unperformed(chain: list[Token]) -> bool:
    """'failed to reach', 'refused to meet', 'declined to sign the accord': the act
    under such a verb was not done (the refusal itself is an event of its own)."""
    trigger = chain[0]
    if len(chain) > 1 and chain[1].lemma_ in tr.UNPERFORMED_VERBS:
        # 'refused to meet', 'refused talks', 'the talks were cancelled'
        return trigger.dep_ in ("xcomp", "dobj", "nsubjpass")
    # 'failed to reach agreement': the trigger is the object of the verb under it
    return (
        len(chain) > 2
        and chain[2].lemma_ in tr.UNPERFORMED_VERBS
        and chain[1].dep_ == "xcomp"
        and trigger.dep_ == "dobj"
    )


def _postponed(chain: list[Token]) -> bool:
    """'postponed its visit', 'the visit was delayed': still planned, for later."""
    return (
        len(chain) > 1
        and chain[1].lemma_ in tr.POSTPONING_VERBS
        and chain[0].dep_ in ("dobj", "nsubjpass")
    )


def _still_owed(chain: list[Token]) -> bool:
    """'Chile has to withdraw', 'Peru needs to sign': in the present, what must be
    done is not done yet ('had to withdraw' says it was)."""
    trigger = chain[0]
    if len(chain) < 2 or trigger.dep_ != "xcomp" or chain[1].lemma_ not in tr.OBLIGATION_VERBS:
        return False
    has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
    return has_to and chain[1].tag_ in ("VBZ", "VBP")


def _plans(token: Token) -> bool:
    """'is scheduled to', 'the planned visit', 'a Chilean plan to attack Peru'."""
    if token.pos_ == "NOUN":
        return token.lemma_ in PLAN_NOUNS
    return token.lemma_ in tr.PLANNING_WORDS and token.pos_ in ("VERB", "ADJ", "AUX")


def intent_of(trigger: Token) -> str | None:
    """The word that makes the event a stated intention: 'will', 'ready', 'willing' …"""
    for index, token in enumerate(_chain(trigger)):
        for child in token.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in (
                "will",
                "shall",
                "'ll",
                "would",
            ):
                return "will"
        if index and token.lemma_ in tr.WILLINGNESS:
            return token.lemma_
        if index and token.lemma_ == "threaten":
            return "threaten"
    return None


def _negated(token: Token) -> bool:
    return any(
        c.dep_ == "neg" or (c.lower_ in tr.NEGATIONS and c.dep_ == "det") for c in token.children
    )


def _chain(trigger: Token) -> list[Token]:
    chain = [trigger]
    current = trigger
    for _ in range(MAX_STEPS):
        if current.dep_ not in GOVERNING_DEPS or current.head is current:
            break
        current = current.head
        chain.append(current)
    return chain


def _committed_to(token: Token) -> bool:
    """'is to meet', 'agreed to discuss the border', 'pledged to send troops', 'is
    committed to destroying the group' (a goal, not an act done)."""
    if _gerund_after_to(token):
        return token.head.head.lemma_ in tr.COMMITMENT_VERBS
    if token.dep_ != "xcomp":
        return False
    if token.head.lemma_ in tr.COMMITMENT_VERBS:
        return True
    return token.head.lemma_ == "be" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in token.children
    )


def _gerund_after_to(token: Token) -> bool:
    """'committed to destroying', 'close to signing': a gerund completing 'to'."""
    return token.dep_ == "pcomp" and token.head.dep_ == "prep" and token.head.lower_ == "to"


def _decides(token: Token, *, own_word: bool = True) -> str | None:
    for child in token.children:
        if child.dep_ in ("aux", "auxpass") and child.lower_ in ("will", "shall", "'ll"):
            return PLANNED
        if child.dep_ == "aux" and child.lower_ in tr.PROPOSAL_WORDS:
            return PROPOSED
        if child.dep_ in ("amod", "acl") and child.lemma_ in tr.PLANNING_WORDS:
            return PLANNED
        if child.dep_ in ("amod", "acl") and child.lemma_ in tr.PROPOSAL_WORDS:
            return PROPOSED
    if _committed_to(token):
        return PLANNED
    if not own_word:
        return None
    if _plans(token):
        return PLANNED
    if token.lemma_ in tr.PROPOSAL_WORDS and token.pos_ in ("VERB", "NOUN", "ADJ", "AUX"):
        return PROPOSED
    if token.lower_ in tr.REPORT_NOUNS:
        return PROPOSED
    return None
