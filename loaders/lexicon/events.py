"""The words that state events, and how their arguments map to roles.

A verb frame names the event class and how the parse maps to roles:
- ``act``: the subject acts on the object (initiator -> recipient);
- ``mutual``: the subject (and any "with" object) take part together;
- ``visit``: the subject visits the object (a place gives the location);
- ``travel``: the subject goes to a place (the visit's destination);
- ``host``: the subject hosts the object (so the object is the initiator);
- ``transfer``: the subject gives the object to the "to" phrase.
"""

from __future__ import annotations

ACT, MUTUAL, VISIT, TRAVEL, HOST, TRANSFER = "act", "mutual", "visit", "travel", "host", "transfer"

VERB_FRAMES: dict[str, tuple[str, str]] = {
    "meet": ("Meeting", MUTUAL),
    "talk": ("Talks", MUTUAL),
    "discuss": ("Talks", MUTUAL),
    "negotiate": ("Talks", MUTUAL),
    "confer": ("Talks", MUTUAL),
    "consult": ("Talks", MUTUAL),
    "mediate": ("Talks", MUTUAL),
    "visit": ("Visit", VISIT),
    "travel": ("Visit", TRAVEL),
    "fly": ("Visit", TRAVEL),
    "go": ("Visit", TRAVEL),
    "head": ("Visit", TRAVEL),
    "arrive": ("Visit", TRAVEL),
    "host": ("Visit", HOST),
    "receive": ("Visit", HOST),
    "agree": ("Agree", MUTUAL),
    "sign": ("Agree", MUTUAL),
    "pledge": ("Agree", ACT),
    "promise": ("Agree", ACT),
    "vow": ("Agree", ACT),
    "cooperate": ("Cooperate", MUTUAL),
    "collaborate": ("Cooperate", MUTUAL),
    "partner": ("Cooperate", MUTUAL),
    "coordinate": ("Cooperate", MUTUAL),
    "support": ("Support", ACT),
    "back": ("Support", ACT),
    "endorse": ("Support", ACT),
    "praise": ("Support", ACT),
    "welcome": ("Support", ACT),
    "hail": ("Support", ACT),
    "commend": ("Support", ACT),
    "applaud": ("Support", ACT),
    "help": ("Aid", ACT),
    "aid": ("Aid", ACT),
    "assist": ("Aid", ACT),
    "fund": ("Aid", ACT),
    "finance": ("Aid", ACT),
    "sell": ("ArmsTransfer", TRANSFER),
    "supply": ("ArmsTransfer", TRANSFER),
    "ship": ("ArmsTransfer", TRANSFER),
    "deliver": ("ArmsTransfer", TRANSFER),
    "export": ("ArmsTransfer", TRANSFER),
    "send": ("ArmsTransfer", TRANSFER),
    "provide": ("ArmsTransfer", TRANSFER),
    "transfer": ("ArmsTransfer", TRANSFER),
    "arm": ("ArmsTransfer", ACT),
    "urge": ("Request", ACT),
    "ask": ("Request", ACT),
    "appeal": ("Request", ACT),
    "press": ("Request", ACT),
    "request": ("Request", ACT),
    "demand": ("Request", ACT),
    "encourage": ("Request", ACT),
    "call": ("Request", ACT),
    "accuse": ("Accuse", ACT),
    "blame": ("Accuse", ACT),
    "criticize": ("Accuse", ACT),
    "criticise": ("Accuse", ACT),
    "condemn": ("Accuse", ACT),
    "denounce": ("Accuse", ACT),
    "rebuke": ("Accuse", ACT),
    "reject": ("Reject", ACT),
    "refuse": ("Reject", ACT),
    "dismiss": ("Reject", ACT),
    "rebuff": ("Reject", ACT),
    "veto": ("Reject", ACT),
    "protest": ("Protest", ACT),
    "threaten": ("Threaten", ACT),
    "warn": ("Threaten", ACT),
    "sanction": ("Sanction", ACT),
    "expel": ("Sanction", ACT),
    "boycott": ("Sanction", ACT),
    "embargo": ("Sanction", ACT),
    "ease": ("Concede", ACT),
    "lift": ("Concede", ACT),
    "release": ("Concede", ACT),
    "concede": ("Concede", ACT),
    "withdraw": ("Retreat", ACT),
    "retreat": ("Retreat", ACT),
    "deploy": ("Mobilize", ACT),
    "mobilize": ("Mobilize", ACT),
    "mobilise": ("Mobilize", ACT),
    "arrest": ("Coerce", ACT),
    "detain": ("Coerce", ACT),
    "seize": ("Coerce", ACT),
    "capture": ("Coerce", ACT),
    "blockade": ("Coerce", ACT),
    "kidnap": ("Coerce", ACT),
    "attack": ("Assault", ACT),
    "strike": ("Assault", ACT),
    "bomb": ("Assault", ACT),
    "shell": ("Assault", ACT),
    "kill": ("Assault", ACT),
    "invade": ("Assault", ACT),
    "raid": ("Assault", ACT),
    "target": ("Assault", ACT),
    "ambush": ("Assault", ACT),
    "fight": ("Assault", ACT),
    "destroy": ("Assault", ACT),
    "disagree": ("Disagree", MUTUAL),
    "differ": ("Disagree", MUTUAL),
    "demonstrate": ("Protest", ACT),
    "rally": ("Protest", ACT),
    "march": ("Protest", ACT),
    "riot": ("Protest", ACT),
    "picket": ("Protest", ACT),
    "beat": ("Assault", ACT),
    "abuse": ("Assault", ACT),
    "torture": ("Assault", ACT),
    "massacre": ("Assault", ACT),
    "assassinate": ("Assault", ACT),
    "execute": ("Assault", ACT),
    "wound": ("Assault", ACT),
    "injure": ("Assault", ACT),
    "shoot": ("Assault", ACT),
    "donate": ("Aid", ACT),
    "contribute": ("Aid", ACT),
    "investigate": ("Investigate", ACT),
    "probe": ("Investigate", ACT),
    "inspect": ("Investigate", ACT),
    "extradite": ("Cooperate", ACT),
    "forgive": ("Support", ACT),
    "resign": ("Retreat", ACT),
    "evacuate": ("Retreat", ACT),
    "engage": ("Assault", ACT),
    "defeat": ("Assault", ACT),
    "combat": ("Assault", ACT),
    "counter": ("Assault", ACT),
    "confront": ("Assault", ACT),
    "battle": ("Assault", ACT),
    "retake": ("Assault", ACT),
    "recapture": ("Assault", ACT),
    "liberate": ("Assault", ACT),
    "besiege": ("Assault", ACT),
    "isolate": ("Assault", ACT),
    "encircle": ("Assault", ACT),
    "surround": ("Assault", ACT),
    "storm": ("Assault", ACT),
    "clear": ("Assault", ACT),
    "oust": ("Assault", ACT),
    "clash": ("Assault", MUTUAL),
    "close": ("Assault", ACT),
    "advance": ("Assault", ACT),
}
# Object-decided acts done to each other: the sides exchanging fire are opponents.
MUTUAL_OBJECT_VERBS = {"exchange"}
# Words that make a launched operation something other than an attack.
NOT_COMBAT = {
    "rescue",
    "humanitarian",
    "relief",
    "evacuation",
    "peacekeeping",
    "aid",
    "search",
    "recovery",
    "training",
    "medical",
}
# Verbs that attack only a place named in their "on" phrase, which is where the attack
# is: "forces closed in on Gao", "troops advanced on Kismayo" (not "closed on Monday").
APPROACH_VERBS = {"close", "advance"}
# Attacks are reported by their target alone ("five strikes engaged ISIL units").
TARGET_ONLY = {"Assault", "Coerce", "Protest"}
# Nouns of a protest's purpose whose "of" phrase names whom it is aimed at.
PROTEST_AIMS = {"defiance", "disapproval", "protest", "opposition", "condemnation", "anger"}
ALONGSIDE = {"alongside"}

# Verbs that state an event only with a certain kind of object: "blocked roads" is a
# protest, "reduced aid" a sanction, "restored ties" support, "accepted demands" a concession.
ROADS = {
    "road",
    "roads",
    "street",
    "streets",
    "highway",
    "highways",
    "traffic",
    "transport",
    "access",
    "bridge",
    "railway",
}
TIES = {
    "ties",
    "relations",
    "contacts",
    "contact",
    "mediation",
    "cooperation",
    "talks",
    "aid",
    "supplies",
    "assistance",
    "dialogue",
    "negotiations",
}
# Who is sent to look into something: "dispatched inspectors to Iran".
INSPECTORS = {"inspectors", "investigators", "monitors", "observers", "inspector", "investigator"}

OBJECT_FRAMES: dict[str, tuple[tuple[frozenset[str], str], ...]] = {
    "send": ((frozenset(INSPECTORS), "Investigate"),),
    "dispatch": ((frozenset(INSPECTORS), "Investigate"),),
    "deploy": ((frozenset(INSPECTORS), "Investigate"),),
    "block": ((frozenset(ROADS), "Protest"),),
    "barricade": ((frozenset(ROADS), "Protest"),),
    "reduce": ((frozenset(TIES), "Sanction"),),
    "cut": ((frozenset(TIES), "Sanction"),),
    "suspend": ((frozenset(TIES | {"membership"}), "Sanction"),),
    "recall": ((frozenset({"ambassador", "envoy", "diplomats", "diplomat"}), "Sanction"),),
    "halt": ((frozenset(TIES), "Sanction"),),
    "end": ((frozenset(TIES), "Sanction"),),
    "sever": ((frozenset(TIES), "Sanction"),),
    "break": ((frozenset({"ties", "relations"}), "Sanction"),),
    "establish": ((frozenset({"ties", "relations"}), "Support"),),
    "restore": ((frozenset({"ties", "relations"}), "Support"),),
    "normalize": ((frozenset({"ties", "relations"}), "Support"),),
    "accept": (
        (
            frozenset(
                {
                    "demands",
                    "demand",
                    "offer",
                    "proposal",
                    "terms",
                    "plan",
                    "conditions",
                    "ceasefire",
                }
            ),
            "Concede",
        ),
    ),
    "shorten": ((frozenset({"curfew", "restrictions", "ban", "sentence"}), "Concede"),),
    "relax": ((frozenset({"curfew", "restrictions", "ban", "blockade", "controls"}), "Concede"),),
    "strengthen": ((frozenset({"forces", "troops", "presence", "army"}), "Mobilize"),),
    "reinforce": ((frozenset({"forces", "troops", "presence", "positions"}), "Mobilize"),),
    "mass": ((frozenset({"forces", "troops", "tanks"}), "Mobilize"),),
    "launch": (
        (frozenset({"exercises", "drills", "games", "maneuvers", "manoeuvres"}), "Cooperate"),
        (
            frozenset(
                {
                    "offensive",
                    "attack",
                    "attacks",
                    "strikes",
                    "raid",
                    "raids",
                    "assault",
                    "operation",
                    "operations",
                }
            ),
            "Assault",
        ),
    ),
    "stage": (
        (frozenset({"exercises", "drills", "games", "maneuvers", "manoeuvres"}), "Cooperate"),
    ),
    "explode": ((frozenset({"bomb", "bombs", "device", "devices", "explosives"}), "Assault"),),
    "exchange": ((frozenset({"fire", "gunfire", "shots", "blows"}), "Assault"),),
    "detonate": ((frozenset({"bomb", "bombs", "device", "devices", "explosives"}), "Assault"),),
    "impose": ((frozenset({"sanctions", "embargo", "curfew", "ban", "blockade"}), "Sanction"),),
    "extend": ((frozenset({"curfew", "sanctions", "embargo", "ban"}), "Sanction"),),
    "grant": (
        (
            frozenset({"asylum", "aid", "loan", "loans", "credit", "visas", "grant", "amnesty"}),
            "Aid",
        ),
    ),
    "give": (
        (
            frozenset(
                {
                    "grant",
                    "loan",
                    "loans",
                    "credit",
                    "aid",
                    "assistance",
                    "funds",
                    "money",
                    "donation",
                }
            ),
            "Aid",
        ),
    ),
    "lodge": ((frozenset({"protest", "complaint"}), "Protest"),),
    "file": ((frozenset({"protest", "complaint", "lawsuit"}), "Protest"),),
}

NOUN_TRIGGERS: dict[str, str] = {
    "visit": "Visit",
    "visits": "Visit",
    "trip": "Visit",
    "tour": "Visit",
    "trips": "Visit",
    "talks": "Talks",
    "negotiations": "Talks",
    "discussions": "Talks",
    "consultations": "Talks",
    "dialogue": "Talks",
    "discussion": "Talks",
    "meeting": "Meeting",
    "meetings": "Meeting",
    "encounter": "Meeting",
    "summit": "Conference",
    "conference": "Conference",
    "forum": "Conference",
    "agreement": "Agree",
    "deal": "Agree",
    "accord": "Agree",
    "treaty": "Agree",
    "pact": "Agree",
    "sanctions": "Sanction",
    "embargo": "Sanction",
    "attack": "Assault",
    "attacks": "Assault",
    "strike": "Assault",
    "strikes": "Assault",
    "airstrike": "Assault",
    "airstrikes": "Assault",
    "raid": "Assault",
    "raids": "Assault",
    "bombing": "Assault",
    "offensive": "Assault",
    "assault": "Assault",
    "protest": "Protest",
    "protests": "Protest",
    "aid": "Aid",
    "assistance": "Aid",
    "sale": "ArmsTransfer",
    "sales": "ArmsTransfer",
    "shipment": "ArmsTransfer",
    "shipments": "ArmsTransfer",
    "supplies": "ArmsTransfer",
    "deliveries": "ArmsTransfer",
    "cooperation": "Cooperate",
    "withdrawal": "Retreat",
    "deployment": "Mobilize",
    "appeal": "Request",
    "request": "Request",
    "threat": "Threaten",
    "threats": "Threaten",
    "demonstration": "Protest",
    "demonstrations": "Protest",
    "rally": "Protest",
    "rallies": "Protest",
    "riot": "Protest",
    "riots": "Protest",
    "investigation": "Investigate",
    "investigations": "Investigate",
    "inquiry": "Investigate",
    "probe": "Investigate",
    "campaign": "Assault",
    "fight": "Assault",
    "war": "Assault",
    "battle": "Assault",
    "operation": "Assault",
    "operations": "Assault",
    "support": "Support",
    "liberation": "Assault",
    "recapture": "Assault",
    "siege": "Assault",
    "destruction": "Assault",
    "shelling": "Assault",
    "bombardment": "Assault",
    "fighting": "Assault",
    "alert": "Mobilize",
    "clash": "Assault",
    "clashes": "Assault",
}
# Nouns that carry the phrase of the aid they hold: "an aid package for Kenya".
BUNDLE_NOUNS = {"package", "packages", "shipment", "shipments", "convoy", "convoys"}
# "a meeting convened by France": who convenes or hosts a gathering is its host.
HOSTING_PARTICIPLES = {"convene", "host", "organise", "organize", "sponsor", "call", "chair"}
# Attacks whose "of" phrase names the town taken: "the liberation of Tikrit".
PLACE_OF_NOUNS = {"liberation", "recapture", "siege"}
# Attacks whose "of" phrase names the side hit: "the destruction of Hamas positions",
# "the shelling of rebel positions"; the first three state an attack only so
# ("the destruction of chemical weapons" is none).
TARGET_OF_NOUNS = {"destruction", "shelling", "bombardment", "bombing"}
NEEDS_OF_TARGET = {"destruction", "shelling", "bombardment"}
# Nouns that state a fight only with an "against" phrase: "the campaign against
# Daesh" is one, "the election campaign" and "a rescue operation" are not.
NEEDS_AGAINST = {"campaign", "fight", "war", "battle", "operation", "operations"}
# Nouns of fighting that often name no side: "after days of fighting in Gao, the
# troops advanced" (the side is the armed subject of the clause they hang on).
FIGHTING_NOUNS = {"fighting", "clash", "clashes", "battle"}
# "in support of the government", "pledged support for": support, not a bare noun.
SUPPORT_VERBS = {
    "provide",
    "offer",
    "give",
    "pledge",
    "express",
    "voice",
    "reaffirm",
    "reiterate",
    "lend",
    "underline",
}
# Noun events whose actor, when the noun names none, is the subject of the verb that
# governs it: "X spoke after a meeting with Y", "X conducted strikes in support of Y".
GOVERNED_NOUN_CLASSES = {"Meeting", "Talks", "Conference", "Support"}
# Noun events whose "on" phrase names their target: "attacks on Hamas".
TARGETED_NOUN_CLASSES = {"Assault", "Coerce", "Sanction"}
# Noun events whose country modifier is the one acting ("UK support", "Israeli strikes").
COUNTRY_MODIFIER_ACTS = {"Support", "Aid", "Assault"}
# Verbs whose subjects take part in the event noun of their "in" phrase:
# "X and Y are taking part in the offensive", "Z participated in the talks".
PARTICIPATION_VERBS = {"take", "participate", "engage", "join"}
# A strike by workers or a hunger strike is a protest, not an attack.
PROTEST_STRIKES = {"hunger", "general", "national", "nationwide", "labour", "labor"}
# Nouns that only state an event with a verb that makes it happen ("signed a deal").
NEEDS_LIGHT_VERB = {
    "investigation",
    "investigations",
    "inquiry",
    "probe",
    "agreement",
    "deal",
    "accord",
    "treaty",
    "pact",
    "request",
    "appeal",
    "threat",
    "threats",
    "aid",
    "assistance",
    "cooperation",
    "sale",
    "sales",
}
LIGHT_VERBS = {
    "hold",
    "have",
    "pay",
    "make",
    "conduct",
    "attend",
    "stage",
    "begin",
    "start",
    "resume",
    "open",
    "continue",
    "launch",
    "carry",
    "plan",
    "prepare",
    "organize",
    "organise",
    "convene",
    "sign",
    "reach",
    "conclude",
    "strike",
    "seal",
    "host",
    "impose",
    "issue",
    "send",
    "provide",
    "offer",
    "give",
    "end",
    "stop",
    "complete",
    "lead",
    "order",
    "announce",
    "call",
    "join",
    "mediate",
    "broker",
}
ARMS_WORDS = {
    "arms",
    "weapon",
    "weapons",
    "missile",
    "missiles",
    "rocket",
    "rockets",
    "military",
    "tank",
    "tanks",
    "jets",
    "helicopters",
    "drones",
    "munitions",
    "ammunition",
    "artillery",
    "system",
    "systems",
    "warships",
    "aircraft",
}
AID_WORDS = {
    "aid",
    "assistance",
    "help",
    "funds",
    "funding",
    "money",
    "loans",
    "food",
    "relief",
    "support",
}
# What is received as a delivery, not as a visitor: "received a shipment of tanks".
DELIVERED_WORDS = ARMS_WORDS | AID_WORDS

# Verbs that state an event only when they act on an actor ("fight illegal fishing" does not).
NEED_ACTOR_OBJECT = {
    "engage",
    "fight",
    "target",
    "strike",
    "destroy",
    "kill",
    "shell",
    "press",
    "ask",
    "back",
    "help",
    "release",
    "ease",
    "host",
    "receive",
    "encourage",
    "demand",
    "request",
    "finance",
    "fund",
    "assist",
    "aid",
    "capture",
    "seize",
    "defeat",
    "combat",
    "counter",
    "confront",
    "battle",
    "retake",
    "recapture",
    "liberate",
    "besiege",
    "isolate",
    "encircle",
    "surround",
    "storm",
    "clear",
    "oust",
}
# Verbs of struggle that act on an actor only when it is their object itself:
# "defeat Hamas", "combat Hezbollah fighters", not "counter Russia's influence".
OWN_OBJECT_VERBS = {"defeat", "combat", "counter", "confront", "clear", "oust", "fight", "battle"}
# Verbs whose "from" phrase names where they happen: "clearing Daesh from Iraq".
FROM_PLACE_VERBS = {"clear", "oust", "drive", "expel", "push", "evict"}
# "closing in on Gao": the particle the approach verb needs.
APPROACH_PARTICLES = {"close": "in"}

# Words that make an event a stated intention (PLOVER codes those as AGREE or THREATEN).
WILLINGNESS = {
    "ready",
    "willing",
    "prepared",
    "committed",
    "agree",
    "pledge",
    "promise",
    "offer",
    "vow",
    "determined",
}
COOPERATIVE = {
    "Aid",
    "ArmsTransfer",
    "Cooperate",
    "Support",
    "Concede",
    "Retreat",
    "Agree",
    "Meeting",
    "Visit",
    "Talks",
    "Conference",
    "Consult",
}
CONSULTATIVE = {"Meeting", "Visit", "Talks", "Conference", "Consult"}
# Acts whose several initiators act together (see event_merge.joint_actions).
JOINT_ACTION_CLASSES = {"Assault", "Coerce", "Mobilize"}
BACKING_CLASSES = {"Aid", "Support"}  # who backs a side in its act takes part in it
# Support that only approves ('welcomes the liberation of Gao') backs nobody's fight.
APPROVAL_VERBS = {"endorse", "praise", "welcome", "hail", "commend", "applaud"}
CONFLICTUAL = {"Sanction", "Assault", "Coerce", "Mobilize", "Reject"}

# Words that put an event in the future or make it only possible (PLOVER modes).
PLANNING_WORDS = {
    "schedule",
    "expect",
    "plan",
    "intend",
    "set",
    "due",
    "prepare",
    "aim",
    "will",
    "shall",
    "upcoming",
    "planned",
    "forthcoming",
    "next",
    "future",
    "arrange",
    "slate",
    "decide",
}
# Verbs that commit their subject to what they govern: "agreed to discuss".
COMMITMENT_VERBS = {"agree", "promise", "pledge", "vow", "commit", "undertake"}
PROPOSAL_WORDS = {
    "propose",
    "suggest",
    "consider",
    "possibility",
    "possible",
    "potential",
    "could",
    "may",
    "might",
    "would",
    "should",
    "want",
    "hope",
    "seek",
    "offer",
    "call",
    "urge",
    "must",
    "demand",
    "insist",
    "ask",
    "ready",
    "readiness",
    "willing",
    "idea",
    "proposal",
}
NEGATIONS = {"not", "n't", "never", "no", "neither", "nor"}
REPORT_NOUNS = {"position", "stance", "view", "views", "opinion", "question", "issue"}
# Verbs whose event needs a second side named: who mediates, mediates between others.
NEEDS_TWO_SIDES = {"mediate"}
# Verbs that deny what their clause, or the claim they take, says happened.
DENIAL_VERBS = {"deny", "dismiss", "reject", "refute", "rebut"}
CLAIM_NOUNS = {
    "report",
    "reports",
    "claim",
    "claims",
    "allegation",
    "allegations",
    "accusation",
    "accusations",
    "suggestion",
    "suggestions",
    "rumour",
    "rumours",
    "rumor",
    "rumors",
}


# Every word that can start an event rule: the cheap first filter over a paragraph.
# "Chile said Peru must return the helicopter": an obligation stated by a speaker is
# a demand on whoever must act.
OBLIGATION = {"must"}
DEMANDING_SPEECH = {
    "say",
    "tell",
    "insist",
    "declare",
    "state",
    "stress",
    "add",
    "warn",
    "announce",
    "conclude",
}

TRIGGER_WORDS = (
    frozenset(VERB_FRAMES)
    | frozenset(OBJECT_FRAMES)
    | frozenset(NOUN_TRIGGERS)
    | ALONGSIDE
    | OBLIGATION
)
