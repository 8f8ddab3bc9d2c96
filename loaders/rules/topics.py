"""Topics (concepts in the scheme dip:Topics) from the words of a sentence.

>>> topics_in("Israel fears Iran's nuclear programme")
['IranNuclearProgramme']
"""

from __future__ import annotations

import re

TOPIC_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "MiddleEastPeaceProcess",
        re.compile(
            r"peace process|Middle East peace|two-state|Quartet|peace talks|road ?map", re.I
        ),
    ),
    (
        "IranNuclearProgramme",
        re.compile(
            r"Iran\w*\W+(\w+\W+){0,4}(nuclear|atomic|enrichment|uranium)"
            r"|(nuclear|atomic)\W+(\w+\W+){0,4}Iran",
            re.I,
        ),
    ),
    (
        "ArmsTrade",
        re.compile(
            r"\b(arms|weapons?|missiles?)\b\W+(\w+\W+){0,3}(sales?|supplies|supply|trade|"
            r"shipments?|deliver\w*|exports?|sell\w*|sold)|\b(sell|sold|supply|supplies|deliver\w*"
            r"|ship\w*)\b\W+(\w+\W+){0,3}(arms|weapons?|missiles?)",
            re.I,
        ),
    ),
    ("Terrorism", re.compile(r"terror\w*|extremis\w*|jihadis\w*", re.I)),
    (
        "HistoricalMemory",
        re.compile(
            r"falsif\w* (of )?history|Holocaust|World War|Nazi\w*|anniversary of (the )?victory"
            r"|historical memory|genocide remembrance",
            re.I,
        ),
    ),
    (
        "TradeAndEconomy",
        re.compile(r"\b(trade|tariffs?|econom\w+|investments?|customs|exports?|imports?)\b", re.I),
    ),
    ("Security", re.compile(r"\b(security|defen[cs]e|military cooperation)\b", re.I)),
    ("HumanRights", re.compile(r"human rights|civil liberties|political prisoners", re.I)),
    ("Energy", re.compile(r"\b(energy|oil|gas|electricity|pipeline|power plant)\b", re.I)),
    ("Migration", re.compile(r"\b(refugees?|migrants?|migration|asylum)\b", re.I)),
    ("HumanitarianAid", re.compile(r"humanitarian|relief aid|food aid", re.I)),
    ("Culture", re.compile(r"cultural|culture|exchanges? program", re.I)),
)


def topics_in(text: str) -> list[str]:
    return [name for name, pattern in TOPIC_PATTERNS if pattern.search(text)]
