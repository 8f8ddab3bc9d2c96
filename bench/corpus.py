"""A generator of realistic diplomacy articles, for load benchmarks.

    python bench/corpus.py 1000 out.jsonl [--seed 7] [--words 500] [--filler 0.6]

Sentences are built from templates filled with the gazetteer's countries,
capitals, demonyms, organisations and office titles and with invented
people, so every article is different text with the named entities, offices,
meetings, visits, statements and arms transfers the extractor looks for,
plus the prose without named actors a real article carries (``--filler``: the
share of such sentences). The default share gives about 1.4 stored triples a
word, between the real news at hand (1.1 on the re3d development documents,
2.1 on the two shared sample articles); 0.2, the share of earlier runs, gives
2.7, about twice real news. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "loaders" / "lexicon" / "data"

GIVEN = [
    "Anna",
    "Mikhail",
    "Sergio",
    "Amina",
    "Kenji",
    "Laila",
    "Tomas",
    "Ingrid",
    "Rahul",
    "Chen",
    "Fatima",
    "Oleksandr",
    "Grace",
    "Pedro",
    "Noura",
    "Henrik",
    "Aiko",
    "Samuel",
    "Yara",
    "Dmitri",
    "Lucia",
    "Kwame",
    "Mei",
    "Ibrahim",
]
FAMILY = [
    "Petrova",
    "Haddad",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Kowalski",
    "Mensah",
    "Alvarez",
    "Novak",
    "Rahman",
    "Fischer",
    "Costa",
    "Nakamura",
    "Ivanenko",
    "Bauer",
    "Sato",
    "Osei",
    "Duarte",
    "Karimi",
]
TOPICS = (
    "trade",
    "energy security",
    "the ceasefire",
    "climate finance",
    "nuclear non-proliferation",
    "migration",
    "maritime borders",
    "grain exports",
)
WEAPONS = ("fighter jets", "air defence systems", "artillery shells", "drones", "tanks")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
FILLER = (
    "Analysts said the talks reflected a broader shift in the region.",
    "The two sides have disagreed for years over the terms of the agreement.",
    "Officials declined to give further details about the schedule.",
    "Markets reacted calmly to the news on the day.",
    "Several opposition lawmakers criticised the decision in parliament.",
    "The ministry published a short statement on its website later that evening.",
    "Diplomats expect further rounds of negotiations before the end of the year.",
    "Human rights groups called for more transparency in the process.",
    "Prices of {topic_noun} rose by {number} per cent over the {period}.",
    "About {thousands},000 people have left the border area since {month}, aid workers said.",
    "The proposal on {topic} still needs the approval of a parliamentary committee.",
    "Critics say the plan on {topic} does little for the {number} million people it affects.",
    "A vote on the measure is expected on {day}, officials said.",
    "The figures for {month} were the lowest in {number} years.",
)
TOPIC_NOUNS = ("fuel", "wheat", "electricity", "fertiliser", "medicine", "housing")
MONTHS = ("January", "March", "May", "July", "September", "November")
PERIODS = ("last quarter", "past year", "summer", "winter months")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


class Generator:
    """Fills sentence templates from the gazetteer with a seeded random source."""

    def __init__(self, seed: int, filler: float = 0.6) -> None:
        self.random = random.Random(seed)
        self.filler_share = filler
        self.countries = [r for r in _rows("countries.tsv") if r["capital"] and r["demonyms"]]
        self.organizations = [r["label"] for r in _rows("organizations.tsv")]
        self.titles = [r["title"] for r in _rows("roles.tsv")]

    def person(self) -> str:
        return f"{self.random.choice(GIVEN)} {self.random.choice(FAMILY)}"

    def country(self) -> dict[str, str]:
        return self.random.choice(self.countries)

    def sentence(self) -> str:
        if self.random.random() < self.filler_share:
            return self.filler()
        return self.actor_sentence()

    def filler(self) -> str:
        """A sentence without named actors, as most of a real article is."""
        r = self.random
        return r.choice(FILLER).format(
            topic=r.choice(TOPICS),
            topic_noun=r.choice(TOPIC_NOUNS),
            number=r.randint(2, 40),
            thousands=r.randint(2, 90),
            period=r.choice(PERIODS),
            month=r.choice(MONTHS),
            day=r.choice(WEEKDAYS),
        )

    def actor_sentence(self) -> str:
        r = self.random
        a, b = self.country(), self.country()
        demonym = a["demonyms"].split("|")[0]
        title = r.choice(self.titles)
        person, other = self.person(), self.person()
        day = r.choice(WEEKDAYS)
        templates = (
            f"{demonym} {title} {person} met {b['label']}'s foreign minister {other} "
            f"in {b['capital']} on {day} to discuss {r.choice(TOPICS)}.",
            f"{a['label']} and {b['label']} signed an agreement on {r.choice(TOPICS)} "
            f"in {r.choice([a, b])['capital']}.",
            f'"We will not accept any threat to our sovereignty," {person}, the {title} '
            f"of {a['label']}, said on {day}.",
            f"{person} will visit {b['label']} next month, the {r.choice(self.organizations)} "
            "said.",
            f"{a['label']} delivered {r.choice(WEAPONS)} to {b['label']} last year, "
            "according to the defence ministry.",
            f"The {r.choice(self.organizations)} condemned the attack near {b['capital']}.",
            f"{person} was appointed {title} of {a['label']} in {r.randint(1995, 2024)}.",
            f"{a['label']} imposed sanctions on {b['label']} over {r.choice(TOPICS)}.",
        )
        return r.choice(templates)

    def article(self, number: int, words: int) -> dict[str, str]:
        sentences: list[str] = []
        while sum(len(s.split()) for s in sentences) < words:
            sentences.append(self.sentence())
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        published = date(2020, 1, 1) + timedelta(days=self.random.randint(0, 1800))
        return {
            "id": f"generated-{number}",
            "title": sentences[0][:90],
            "date": published.isoformat(),
            "body": "\n\n".join(paragraphs),
        }


def generate(
    count: int, seed: int = 7, words: int = 500, filler: float = 0.6
) -> Iterator[dict[str, str]]:
    generator = Generator(seed, filler)
    for number in range(count):
        yield generator.article(number, words)


def write_jsonl(
    path: Path, count: int, seed: int = 7, words: int = 500, filler: float = 0.6
) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(count, seed, words, filler):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--filler", type=float, default=0.6)
    args = parser.parse_args()
    write_jsonl(args.output, args.count, args.seed, args.words, args.filler)


if __name__ == "__main__":
    main()
