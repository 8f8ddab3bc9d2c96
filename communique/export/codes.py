"""What the export says about actors and events in the codes event data users
know (PLOVER's sectors, country codes, modes and auxiliary modes), as tables:
derived from the ontology's classes and roles, never guessed from names."""

from __future__ import annotations

import pycountry

# An actor's PLOVER sector, from its class.
CLASS_SECTORS = {
    "Country": "GOV",  # a country acting is its government
    "GovernmentBody": "GOV",
    "ArmedGroup": "REB",
    "PoliticalParty": "PTY",
}
# A person's PLOVER sector, from the office the graph says they hold.
ROLE_SECTORS = {
    "HeadOfState": "GOV",
    "HeadOfGovernment": "GOV",
    "ForeignMinister": "GOV",
    "DeputyForeignMinister": "GOV",
    "DefenceMinister": "GOV",
    "Minister": "GOV",
    "Ambassador": "GOV",
    "Envoy": "GOV",
    "Diplomat": "GOV",
    "Spokesperson": "GOV",
    "Official": "GOV",
    "Legislator": "LEG",
    "MilitaryOfficer": "MIL",
    # GroupLeader: the sector of the group led (CLASS_SECTORS)
}
LEADS_A_GROUP = "GroupLeader"
# PLOVER's country field for international actors, by Wikidata item.
INTERNATIONAL_CODES = {"Q1065": "UNO", "Q458": "EUR"}
INTERNATIONAL = "IGO"  # any other international organisation
# PLOVER modes an event's class states.
CLASS_MODES = {"Visit": "visit", "Conference": "multilateral"}
# PLOVER's auxiliary modes for an event's status (none for what occurred).
STATUS_CONTEXTS = {"Planned": "future", "Proposed": "hypothetical", "Denied": "negation"}
# GDELT's QuadClass numbers for PLOVER's quad categories.
QUAD_CODES = {
    "VerbalCooperation": 1,
    "MaterialCooperation": 2,
    "VerbalConflict": 3,
    "MaterialConflict": 4,
}


def alpha3(alpha2: str | None) -> str | None:
    """ISO 3166 alpha-3 for an alpha-2 code (Kosovo, with none, is KOS as in PLOVER)."""
    if not alpha2:
        return None
    if alpha2 == "XK":
        return "KOS"
    found = pycountry.countries.get(alpha_2=alpha2)
    return found.alpha_3 if found else None
