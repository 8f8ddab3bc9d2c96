"""The extraction rules, each family on sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from communique.loaders.extract import extract_articles
from communique.loaders.lexicon.gazetteer import normalise
from communique.loaders.model import DENIED, OCCURRED, PLANNED, PROPOSED, Event, Extraction
from communique.loaders.nlp.pipeline import load_pipeline
from communique.loaders.nlp.text import split_units
from communique.loaders.read.article import Article
from communique.loaders.rules.names import name_variants
from tests.helpers import MODEL


def extract(body: str, published: date | None = None, headline: str = "") -> Extraction:
    article = Article(
        body=body, headline=headline or "Test article", origin="test", published=published
    )
    return next(extract_articles([article], MODEL))


def label(extraction: Extraction, actor_id: str | None) -> str | None:
    return extraction.actors[actor_id].label if actor_id else None


def events_of(extraction: Extraction, dip_class: str) -> list[Event]:
    return [e for e in extraction.events if e.dip_class == dip_class]


def names(extraction: Extraction, actor_ids: list[str]) -> set[str]:
    return {extraction.actors[a].label for a in actor_ids}


# --------------------------------------------------------------------------- mentions
def test_country_names_variants_and_demonyms_are_mentions_of_the_country() -> None:
    result = extract(
        "The Russian Federation and Norway held talks. Russian diplomats said Russia would reply."
    )
    russia = result.actors["Country:RU"]
    texts = [s.text for a, s in result.mentions if a == "Country:RU"]
    assert "Russian Federation" in texts and "Russia" in texts
    assert russia.label == "Russia" and russia.wikidata == "Q159"
    assert "Russian" not in russia.alt_labels  # a demonym is not a name
    assert "Russian Federation" in russia.alt_labels


def test_the_coalition_named_after_what_it_counters_is_the_global_coalition() -> None:
    result = extract("Envoys from the Counter ISIL Coalition met in Oslo.")
    assert "Organization:global-coalition-against-daesh" in result.actors
    assert not [a for a in result.actors.values() if a.label == "Counter"]


def test_the_coalition_is_the_one_against_daesh_only_where_daesh_is_named() -> None:
    then = extract("The US-led coalition took Arica in 2003. The coalition then left Arica.")
    assert {a.label for a in then.actors.values() if a.kind == "Organization"} == {"Coalition"}
    (coalition,) = [a for a in then.actors.values() if a.label == "Coalition"]
    assert coalition.wikidata is None and coalition.alt_labels == {"US-led coalition"}
    now = extract("The coalition struck Daesh near Mosul.")
    assert "Global Coalition against Daesh" in {a.label for a in now.actors.values()}
    named = extract("Peru joined the Global Coalition to Defeat ISIS. The coalition met.")
    assert {a.label for a in named.actors.values() if a.kind == "Organization"} == {
        "Global Coalition against Daesh"
    }


def test_the_pronoun_us_is_not_the_united_states() -> None:
    result = extract("The minister told us that the US embassy in Oslo would reopen.")
    assert [s.text for a, s in result.mentions if a == "Country:US"] == ["US"]


def test_a_surname_and_a_spelling_variant_refer_back_to_the_full_name() -> None:
    result = extract(
        "Foreign Minister Pavel Sergeyev arrived in Lima on Monday. Sergeyev met "
        "the Peruvian president. Later, Pavel Sergeev flew home."
    )
    person = "Person:Pavel Sergeyev"
    texts = [s.text for a, s in result.mentions if a == person]
    assert texts == ["Pavel Sergeyev", "Sergeyev", "Pavel Sergeev"]
    assert "Pavel Sergeev" in result.actors[person].alt_labels


def test_name_variants_allow_transliterations_but_not_other_names() -> None:
    assert name_variants("Sergey", "Sergei") and name_variants("Meshaal", "Mashal")
    assert not name_variants("Sergei", "Sergio") and not name_variants("Ivanov", "Lavrov")


def test_known_organisations_get_their_class_wikidata_and_merged_spellings() -> None:
    result = extract("Hizbullah and Hezbollah are spellings of one group; NATO said so.")
    hezbollah = result.actors["Organization:hezbollah"]
    assert hezbollah.dip_class == "ArmedGroup"
    assert [s.text for a, s in result.mentions if a == hezbollah.actor_id] == [
        "Hizbullah",
        "Hezbollah",
    ]
    nato = result.actors["Organization:nato"]
    assert (nato.dip_class, nato.wikidata) == ("InternationalOrganization", "Q7184")


def test_a_government_body_region_and_capital_metonymy() -> None:
    result = extract(
        "The Syrian government rejected the plan. Fighting spread in northern "
        "Mali. Moscow insists the talks must go on."
    )
    body = result.actors["Organization:government-sy"]
    assert (body.dip_class, body.label) == ("GovernmentBody", "Government of Syria")
    region = result.actors["Place:northern Mali"]
    assert region.located_in == "ML"
    assert "Country:RU" in result.actors  # Moscow acting as a subject is Russia


def test_an_acronym_that_spells_a_word_is_read_as_a_name() -> None:
    result = extract(
        "A clan elder fighting IS alongside Chilean troops was killed. Peru said IS had "
        "attacked Arica."
    )
    fights = {
        (frozenset(names(result, e.initiators)), frozenset(names(result, e.recipients)))
        for e in events_of(result, "Assault")
    }
    assert (frozenset({"Armed forces of Chile"}), frozenset({"Islamic State"})) in fights
    (raid,) = [e for e in events_of(result, "Assault") if label(result, e.location) == "Arica"]
    assert names(result, raid.initiators) == {"Islamic State"}


def test_text_set_in_capitals_keeps_the_norms_of_its_words() -> None:
    nlp = load_pipeline(MODEL)
    assert [t.norm_ for t in nlp("He said IS was near.") if t.text == "IS"] == ["i.s."]
    assert {t.norm_ for t in nlp("THE END OF IS IS NEAR.") if t.text == "IS"} == {"is"}
    shouted = extract("PERU SAYS THE END OF IS IS NEAR\n\nChile said IS had attacked Arica.")
    assert [span.text for _, span in shouted.mentions if span.text == "IS"] == ["IS"]


def test_a_name_after_an_office_is_a_person_even_where_a_town_has_it() -> None:
    result = extract(
        "Speaking for President Madison and the Chilean people, the envoy thanked Peru."
    )
    assert ("Person", "Madison") in {(a.kind, a.label) for a in result.actors.values()}


def test_an_office_with_no_name_is_no_person() -> None:
    result = extract("Chile's president met the King of Jordan in Amman.")
    assert not [a for a in result.actors.values() if a.kind == "Person"]


def test_a_minister_for_a_region_is_the_person_after_the_region() -> None:
    result = extract(
        "Minister for Africa Pablo Ortega said the talks went well. The Minister "
        "of State for Peru Maria Gonzalez agreed."
    )
    kinds = {(a.kind, a.label) for a in result.actors.values()}
    assert kinds == {
        ("Place", "Africa"),
        ("Person", "Pablo Ortega"),
        ("Country", "Peru"),
        ("Person", "Maria Gonzalez"),
    }
    headline = extract("Minister For Africa Visits Kenya")
    assert not [a for a in headline.actors.values() if a.kind == "Person"]


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_an_it_of_judgement_is_nobody_with_either_apostrophe(apostrophe: str) -> None:
    body = f"Peru met Chile’s envoy on Monday. It{apostrophe}s vital to attack Hamas now."
    result = extract(body)
    (attack,) = events_of(result, "Assault")
    assert attack.initiators == [] and names(result, attack.recipients) == {"Hamas"}
    # the model reads straight apostrophes; every span is still the text as written
    spans = [span for _, span in result.mentions] + [e.evidence for e in result.events]
    assert all(body[s.start : s.end] == s.text for s in spans)
    assert any("’" in s.text for s in spans)


def test_a_weapon_name_is_not_a_person() -> None:
    result = extract(
        "Officials said Tornado and Sabre anti-ship missiles were found in a depot near the coast."
    )
    assert not [a for a in result.actors.values() if a.kind == "Person"]


def test_an_entity_never_spans_a_line_break_and_offsets_point_into_the_text() -> None:
    text = "Talks in Moyale\n\n“Chile’s position is clear,” said the Chilean minister."
    result = extract(text)
    assert result.mentions
    for _aid, span in result.mentions:
        assert "\n" not in span.text
        assert text[span.start : span.end] == span.text


def test_normalise_ignores_case_article_and_possessive() -> None:
    assert normalise("The  United Nations’") == "united nations"


# --------------------------------------------------------------------------- boilerplate
def test_boilerplate_is_not_parsed_and_offsets_do_not_move() -> None:
    body = (
        "Envoys meet in Oslo\n\nenvoy 320.40 (photo credit: Staff)\n"
        "  • Sweden recalls envoy from Iran During the talks, Norway urged Chile to sign.\n"
        "Related: Read more stories\n"
    )
    units = split_units(body, "Envoys meet in Oslo")
    texts = [body[u.start : u.end] for u in units]
    assert texts == ["Envoys meet in Oslo", "During the talks, Norway urged Chile to sign."]
    result = extract(body, headline="Envoys meet in Oslo")
    assert "Country:SE" not in result.actors  # the glued link title is boilerplate
    assert names(result, events_of(result, "Request")[0].initiators) == {"Norway"}


# --------------------------------------------------------------------------- positions
@pytest.mark.parametrize(
    ("text", "holder", "role", "title", "in_actor"),
    [
        (
            "Chilean Foreign Minister Maria Gonzalez arrived on Monday.",
            "Maria Gonzalez",
            "ForeignMinister",
            "Foreign Minister",
            "Chile",
        ),
        (
            "Kenya's Deputy Foreign Minister Paul Otieno spoke first.",
            "Paul Otieno",
            "DeputyForeignMinister",
            "Deputy Foreign Minister",
            "Kenya",
        ),
        (
            "Hamas leader Omar Haddad did not attend.",
            "Omar Haddad",
            "GroupLeader",
            "leader",
            "Hamas",
        ),
        (
            "Lena Berg, the head of the Swedish Foreign Ministry's Africa Department, left early.",
            "Lena Berg",
            "GroupLeader",
            None,
            None,
        ),
        (
            "Brazilian Defence Minister Jorge Lima toured the base.",
            "Jorge Lima",
            "DefenceMinister",
            "Defence Minister",
            "Brazil",
        ),
    ],
)
def test_offices_from_titles_and_appositions(text, holder, role, title, in_actor) -> None:  # type: ignore[no-untyped-def]
    result = extract(text)
    (holding,) = [h for h in result.holdings if label(result, h.holder) == holder]
    assert holding.role == role
    if title:
        assert holding.title == title
    else:
        assert holding.title.startswith("head of")
    if in_actor:
        assert label(result, holding.in_actor) == in_actor
    assert text[holding.evidence.start : holding.evidence.end] == holding.evidence.text


def test_a_former_office_is_not_a_current_holding() -> None:
    result = extract("Former President Alan Diaz of Chile spoke on Monday.")
    assert not [h for h in result.holdings if h.role == "HeadOfState"]


def test_a_counterpart_holds_the_same_office_in_the_other_country() -> None:
    result = extract(
        "Chilean Foreign Minister Maria Gonzalez met her Peruvian counterpart in Lima. "
        "Jorge Salas said the talks went well. Salas later flew to Quito."
    )
    holdings = {(label(result, h.holder), h.role) for h in result.holdings}
    assert ("Jorge Salas", "ForeignMinister") in holdings
    (meeting,) = events_of(result, "Meeting")
    assert names(result, meeting.all_actors()) == {"Maria Gonzalez", "Jorge Salas"}


def test_counterparts_are_their_country_not_one_of_its_people() -> None:
    result = extract(
        "Deputy Foreign Minister Jorge Salas of Peru visited Chile last week. Maria "
        "Gonzalez is expected to discuss with her Peruvian counterparts more visits."
    )
    (talks,) = events_of(result, "Talks")
    assert names(result, talks.all_actors()) == {"Maria Gonzalez", "Peru"}


def test_an_unnamed_counterpart_is_their_country_never_a_person_of_another() -> None:
    result = extract(
        "Chilean Foreign Minister Maria Gonzalez met her Peruvian counterpart in Lima. "
        "Bolivian President Luis Arce was not invited."
    )
    (meeting,) = events_of(result, "Meeting")
    assert names(result, meeting.all_actors()) == {"Maria Gonzalez", "Peru"}
    assert {label(result, h.holder) for h in result.holdings} == {"Maria Gonzalez", "Luis Arce"}


def test_a_title_later_in_the_article_is_a_mention_of_its_holder() -> None:
    result = extract(
        "Foreign Minister Maria Gonzalez of Chile arrived in Oslo. The foreign minister "
        "said talks would continue."
    )
    texts = [s.text for a, s in result.mentions if label(result, a) == "Maria Gonzalez"]
    assert "The foreign minister" in texts


def test_members_of_an_organisation() -> None:
    result = extract("Kenya, along with Uganda and Tanzania, makes up the East African Community.")
    members = {label(result, m.member) for m in result.memberships}
    assert members == {"Kenya", "Uganda", "Tanzania"}
    assert {label(result, m.organization) for m in result.memberships} == {"East African Community"}


def test_ministers_of_an_organisation_are_a_mention_of_it() -> None:
    text = "Chile will host foreign ministers of the Arab League in Santiago on Friday."
    result = extract(text)
    league = next(a for a in result.actors.values() if a.label == "Arab League")
    spans = [span.text for actor_id, span in result.mentions if actor_id == league.actor_id]
    assert spans == ["foreign ministers", "Arab League"]
    assert "foreign ministers" not in league.alt_labels
    (visit,) = [e for e in result.events if league.actor_id in e.all_actors()]
    assert label(result, visit.location) == "Santiago"
    # a country's officials are its government, another rule's business
    other = extract("Officials from Peru met Chilean diplomats.")
    assert {span.text for _, span in other.mentions} == {"Peru", "Chilean diplomats"}


# --------------------------------------------------------------------------- events
@pytest.mark.parametrize(
    ("text", "dip_class", "initiators", "recipients"),
    [
        ("Norway's foreign minister met Chile's president in Oslo.", "Meeting", None, None),
        ("Peru urged Bolivia to reopen the border.", "Request", {"Peru"}, {"Bolivia"}),
        ("Chile demanded that Peru withdraw its troops.", "Request", {"Chile"}, {"Peru"}),
        ("Chile said on Monday that Peru must return the boat.", "Request", {"Chile"}, {"Peru"}),
        ("Chile demanded an apology from Peru.", "Request", {"Chile"}, {"Peru"}),
        ("A Chilean plan to attack Peru was leaked.", "Assault", {"Chile"}, {"Peru"}),
        ("Norway dispatched inspectors to Kenya.", "Investigate", {"Norway"}, {"Kenya"}),
        (
            "Chilean troops stayed on alert in the north.",
            "Mobilize",
            {"Armed forces of Chile"},
            set(),
        ),
        ("Kenya requested aid from Norway.", "Request", {"Kenya"}, {"Norway"}),
        (
            "Bolivian rebels announced that Peru must change its laws.",
            "Request",
            {"Bolivian rebels"},
            {"Peru"},
        ),
        ("Protesters rallied against Chile in Lima.", "Protest", set(), {"Chile"}),
        (
            "Youths threw stones during demonstrations against abuses by the Chilean army.",
            "Protest",
            set(),
            {"Armed forces of Chile"},
        ),
        ("Crowds blocked roads in Lima in defiance of Chile.", "Protest", set(), {"Chile"}),
        (
            "Students blocked the highway in disapproval of Peru's policies.",
            "Protest",
            set(),
            {"Peru"},
        ),
        ("Norway announced a military aid package for Kenya.", "Aid", {"Norway"}, {"Kenya"}),
        ("An aid package for Kenya from Norway was announced.", "Aid", {"Norway"}, {"Kenya"}),
        ("Egypt accused Sudan of arming rebels.", "Accuse", {"Egypt"}, {"Sudan"}),
        ("Brazil rejected Argentina's tariff plan.", "Reject", {"Brazil"}, set()),
        ("Ghana condemned Togo over the arrests.", "Accuse", {"Ghana"}, {"Togo"}),
        ("Canada imposed sanctions on Belarus.", "Sanction", {"Canada"}, {"Belarus"}),
        (
            "Japan sold anti-ship missiles to the Philippines.",
            "ArmsTransfer",
            {"Japan"},
            {"Philippines"},
        ),
        (
            "Turkey welcomed the ceasefire between Armenia and Azerbaijan.",
            "Support",
            {"Turkey"},
            set(),
        ),
        ("Spain helped Morocco to rebuild the port.", "Aid", {"Spain"}, {"Morocco"}),
        ("Thousands of Kenyans demonstrated in Nairobi.", "Protest", {"Kenya"}, set()),
        ("Mali withdrew from the regional force.", "Retreat", {"Mali"}, set()),
        ("Ecuador expelled Colombia's ambassador.", "Sanction", {"Ecuador"}, set()),
        ("India and Pakistan held talks in Geneva.", "Talks", None, None),
        ("Greece blocked roads to Albania in protest.", "Protest", {"Greece"}, set()),
        ("Chad has investigated Niger's role in the raid.", "Investigate", {"Chad"}, {"Niger"}),
    ],
)
def test_event_types_with_their_initiator_and_recipient(
    text, dip_class, initiators, recipients
) -> None:  # type: ignore[no-untyped-def]
    result = extract(text)
    found = events_of(result, dip_class)
    assert found, [(e.dip_class, e.label) for e in result.events]
    event = found[0]
    if initiators is not None:
        assert names(result, event.initiators) == initiators
        assert names(result, event.recipients) >= recipients
    else:
        assert len(event.all_actors()) >= 2
    assert text[event.evidence.start : event.evidence.end] == event.evidence.text


def test_a_travel_alert_is_no_mobilisation() -> None:
    assert events_of(extract("Chile issued a travel alert for Peru."), "Mobilize") == []


def test_what_a_speaker_says_it_must_do_itself_is_no_request() -> None:
    result = extract("Chile said that it must defend its border.")
    assert events_of(result, "Request") == []


def test_a_to_phrase_on_the_light_verb_names_who_receives_the_arms() -> None:
    result = extract("Peru said Chile must prove it is serious by ending arms shipments to Hamas.")
    (shipments,) = events_of(result, "ArmsTransfer")
    assert names(result, shipments.recipients) == {"Hamas"}


def test_who_comments_on_a_mission_does_not_carry_it_out() -> None:
    result = extract(
        "Foreign Minister Pablo Ortega comments on the launch of the Peruvian mission to "
        "retake the town of Arica."
    )
    assert all("Pablo Ortega" not in names(result, e.all_actors()) for e in result.events)


def test_a_mediator_takes_part_in_the_talks_it_mediates() -> None:
    result = extract("Qatar mediated talks between Chile and Peru.")
    (talks,) = events_of(result, "Talks")
    assert names(result, talks.all_actors()) == {"Qatar", "Chile", "Peru"}
    assert events_of(extract("Qatar has mediated in the dispute."), "Talks") == []
    deal = extract("Norway brokered a deal between Chile and Peru.")
    (agreement,) = events_of(deal, "Agree")
    assert names(deal, agreement.initiators) == {"Norway"}
    assert names(deal, agreement.all_actors()) == {"Norway", "Chile", "Peru"}


def test_a_visit_has_its_visitor_host_place_and_date() -> None:
    result = extract(
        "Chilean President Maria Gonzalez visited Lima last month.", published=date(2025, 6, 10)
    )
    (visit,) = events_of(result, "Visit")
    assert names(result, visit.initiators) == {"Maria Gonzalez"}
    assert label(result, visit.location) == "Lima"
    assert visit.date == ("2025-05", "gYearMonth") and visit.date_text == "last month"


def test_a_noun_trigger_takes_its_possessor_and_destination() -> None:
    result = extract("Omar Haddad's trip to Cairo was cut short by the storm.")
    (visit,) = events_of(result, "Visit")
    assert names(result, visit.initiators) == {"Omar Haddad"}
    assert label(result, visit.location) == "Cairo"
    assert names(result, visit.recipients) == set()  # Egypt is never named


def test_coordinated_subjects_are_all_participants() -> None:
    result = extract("Chile, Peru and Bolivia agreed on a new water treaty.")
    (agree,) = events_of(result, "Agree")
    assert names(result, agree.participants) == {"Chile", "Peru", "Bolivia"}


def test_group_references_resolve_to_the_principal_actors() -> None:
    result = extract(
        "Foreign Minister Maria Gonzalez of Chile met Foreign Minister Jorge Salas of "
        "Peru. Gonzalez praised Salas. The two also discussed fishing rights."
    )
    talks = events_of(result, "Talks")
    assert talks and names(result, talks[0].participants) == {"Maria Gonzalez", "Jorge Salas"}


def test_a_group_reference_is_two_sides_not_the_one_country_talked_about() -> None:
    result = extract("The two ministers discussed the war in Yemen by telephone.")
    assert events_of(result, "Talks") == []  # nobody named took part
    both = extract("Chile and Peru signed a fishing accord. The two ministers met in Lima.")
    (meeting,) = events_of(both, "Meeting")
    assert names(both, meeting.participants) == {"Chile", "Peru"}


def test_during_that_visit_inherits_the_place_and_time() -> None:
    result = extract(
        "Maria Gonzalez held talks in Quito last week. During that visit, Gonzalez met "
        "Ecuadorian President Luis Mora.",
        published=date(2025, 3, 20),
    )
    (meeting,) = events_of(result, "Meeting")
    assert label(result, meeting.location) == "Quito"
    assert meeting.date_text == "last week"


def test_a_campaign_against_an_armed_group_is_an_assault_on_it() -> None:
    result = extract("Peru stepped up its campaign against Hamas in Bolivia and Chile.")
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.recipients) == {"Hamas"}
    assert {label(result, p) for p in (assault.location, *assault.other_locations)} == {
        "Bolivia",
        "Chile",
    }


def test_the_troops_of_a_clause_fought_the_fighting_it_follows() -> None:
    result = extract(
        "After three days of fighting in Arica, the Chilean troops withdrew to Tacna. After "
        "a week of fighting in Arica, Peru called for a ceasefire."
    )
    fights = [
        (label(result, e.location), names(result, e.all_actors()))
        for e in events_of(result, "Assault")
    ]
    assert fights == [("Arica", {"Armed forces of Chile"})]  # Peru is no side
    # troops of an organisation fight for it; the organisation itself need not
    result = extract(
        "After days of fighting in Arica, the African Union troops withdrew to Tacna. After "
        "days of fighting in Arica, the African Union called for talks."
    )
    (fight,) = events_of(result, "Assault")
    assert names(result, fight.initiators) == {"African Union"}
    assert fight.evidence.text.endswith("troops withdrew to Tacna.")


def test_an_assault_on_a_town_and_the_fighting_before_it_are_two_fights() -> None:
    result = extract(
        "The Chilean troops launched an assault on the town of Tacna after days of "
        "fighting in Arica."
    )
    fights = events_of(result, "Assault")
    assert sorted(label(result, e.location) or "" for e in fights) == ["Arica", "Tacna"]
    assert all(names(result, e.initiators) == {"Armed forces of Chile"} for e in fights)


def test_fighting_between_two_sides_is_a_fight_of_both() -> None:
    result = extract("Heavy fighting between Chile and Peru killed twelve soldiers.")
    (fight,) = events_of(result, "Assault")
    assert names(result, fight.participants) == {"Chile", "Peru"}


@pytest.mark.parametrize(
    ("text", "initiators"),
    [
        ("The Peruvian army will step up its efforts to defeat Hamas.", {"Armed forces of Peru"}),
        ("Chile meets weekly to coordinate efforts to defeat Hamas.", {"Chile"}),
        ("Chile welcomed efforts to defeat Hamas.", set()),
    ],
)
def test_who_makes_the_efforts_to_fight_a_group_fights_it(text, initiators) -> None:  # type: ignore[no-untyped-def]
    result = extract(text)
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.recipients) == {"Hamas"}
    assert names(result, assault.initiators) == initiators


def test_an_election_campaign_is_no_assault() -> None:
    result = extract("Peru's election campaign ended on Sunday.")
    assert events_of(result, "Assault") == []


def test_in_support_of_names_who_is_supported_and_an_against_phrase_the_target() -> None:
    result = extract(
        "NATO jets carried out nine raids together with and in support of the "
        "Malian government against Hizbullah positions."
    )
    (support,) = events_of(result, "Support")
    assert names(result, support.initiators) == {"NATO"}
    assert names(result, support.recipients) == {"Government of Mali"}
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.recipients) == {"Hezbollah"}


def test_sides_that_take_part_in_an_offensive_together_cooperate() -> None:
    result = extract(
        "Malian troops, along with NATO, Chadian fighters and Nigerien militiamen, are "
        "taking part in the offensive."
    )
    (assault,) = events_of(result, "Assault")
    sides = {"Armed forces of Mali", "NATO", "Chadian fighters", "Nigerien militiamen"}
    assert names(result, assault.initiators) == sides
    (together,) = events_of(result, "Cooperate")
    assert names(result, together.participants) == sides


def test_a_side_backing_an_attack_in_its_sentence_cooperates_with_the_attackers() -> None:
    result = extract(
        "Chadian fighters and Malian troops, backed by French air strikes, stormed the "
        "town of Gao. Canada sent aid to Niger."
    )
    (together,) = events_of(result, "Cooperate")
    assert names(result, together.participants) == {
        "Chadian fighters",
        "Armed forces of Mali",
        "France",
    }
    assert "Canada" not in names(result, together.participants)  # another sentence


def test_one_side_backed_by_another_in_its_attack_cooperates_with_it() -> None:
    result = extract("Kenyan troops, supported by Ugandan artillery, attacked al-Shabaab.")
    (together,) = events_of(result, "Cooperate")
    assert names(result, together.participants) == {"Armed forces of Kenya", "Uganda"}


def test_who_backs_an_attacker_against_a_target_is_a_side_against_it() -> None:
    result = extract("NATO has supported the Kenyan army in its drive to defeat al-Shabaab.")
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.initiators) == {"Armed forces of Kenya", "NATO"}
    assert names(result, assault.recipients) == {"al-Shabaab"}


def test_whom_an_attack_supports_is_a_side_of_it() -> None:
    result = extract(
        "French jets carried out twelve strikes in support of the Malian government "
        "against Ansar Dine positions. Canada supported Niger."
    )
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.initiators) == {"France", "Government of Mali"}
    assert names(result, assault.recipients) == {"Ansar Dine"}


def test_backers_of_an_attack_without_a_target_do_not_join_it() -> None:
    result = extract("Kenyan troops, supported by Ugandan artillery, launched an offensive.")
    for assault in events_of(result, "Assault"):
        assert "Uganda" not in names(result, assault.initiators)


def test_a_town_taken_for_a_person_after_near_is_the_place_of_the_attack() -> None:
    result = extract("Near Kafr Nabl, two air strikes engaged a Hamas supply convoy.")
    (assault,) = events_of(result, "Assault")
    assert label(result, assault.location) == "Kafr Nabl"
    assert result.actors[assault.location].kind == "Place"  # type: ignore[index]
    assert names(result, assault.recipients) == {"Hamas"} and assault.initiators == []


def test_the_victim_of_a_relative_clause_and_the_owner_of_an_effort() -> None:
    result = extract(
        "We mourn Sergeant Omar Haddad, who was killed on Sunday in Mosul. NATO praised "
        "the Malian army for its efforts to defeat Hamas."
    )
    killed, defeat = events_of(result, "Assault")
    assert names(result, killed.recipients) == {"Omar Haddad"}
    assert label(result, killed.location) == "Mosul"
    assert names(result, defeat.recipients) == {"Hamas"} and defeat.initiators


def test_a_meeting_that_took_place_somewhere_is_located_there() -> None:
    result = extract("The most recent meeting of the Arab League took place in Rome in May.")
    (meeting,) = events_of(result, "Meeting")
    assert label(result, meeting.location) == "Rome"


def test_the_government_of_a_country_is_its_government_body() -> None:
    result = extract(
        "Chile welcomed the Government of Peru’s decision. NATO backed the army of Mali."
    )
    texts = {s.text: a for a, s in result.mentions}
    assert label(result, texts["Government of Peru"]) == "Government of Peru"
    assert label(result, texts["army of Mali"]) == "Armed forces of Mali"


def test_as_part_of_an_organisation_is_a_membership() -> None:
    result = extract("Chile, as part of the African Union, is committed to the mission.")
    assert [
        (label(result, m.member), label(result, m.organization)) for m in result.memberships
    ] == [("Chile", "African Union")]


def test_a_country_named_before_support_gives_it() -> None:
    result = extract("The minister reiterated Chilean support for Peru.")
    (support,) = events_of(result, "Support")
    assert names(result, support.initiators) == {"Chile"}
    assert names(result, support.recipients) == {"Peru"}


def test_a_town_after_near_or_the_village_of_is_a_place_and_where_an_attack_was() -> None:
    result = extract(
        "Near Khirbet Qatran, two strikes engaged Hamas fighters. Peru welcomed the "
        "Chilean army's liberation of the village of Umm Nasr."
    )
    places = {a.label for a in result.actors.values() if a.kind == "Place"}
    assert {"Khirbet Qatran", "Umm Nasr"} <= places
    strikes, liberation = events_of(result, "Assault")
    assert label(result, strikes.location) == "Khirbet Qatran"
    assert label(result, liberation.location) == "Umm Nasr"


def test_a_rank_before_the_name_and_an_office_after_it_are_both_held() -> None:
    result = extract(
        "The drill was praised by Maj. Gen. Omar Haddad, commander, the African Union "
        "Mission in Somalia."
    )
    titles = {(h.title, label(result, h.in_actor)) for h in result.holdings}
    assert ("commander", "African Union") in titles
    assert any(h.in_actor is None and "Gen" in h.title for h in result.holdings)


def test_a_name_beside_a_country_or_a_town_is_a_town_throughout_the_article() -> None:
    result = extract(
        "Hamas fighters were seen near Khirbet Qatran on Monday. Chilean troops moved "
        "to isolate Khirbet Qatran on Friday, and Hamas left Umm Nasr, Syria, on Sunday. "
        "They shelled rebel-held Rumaylah."
    )
    kinds = {a.label: a.kind for a in result.actors.values()}
    assert kinds["Khirbet Qatran"] == "Place" and kinds["Umm Nasr"] == "Place"
    assert kinds["Rumaylah"] == "Place"  # the NER alone takes it for a person
    assert sum(1 for a in result.actors.values() if a.label == "Khirbet Qatran") == 1


def test_a_person_listed_with_countries_stays_a_person() -> None:
    result = extract(
        "Maria Gonzalez, France, Germany and Italy signed the accord. Later Jorge Salas, "
        "Peru's foreign minister, spoke."
    )
    kinds = {a.label: a.kind for a in result.actors.values()}
    assert kinds["Maria Gonzalez"] == "Person" and kinds["Jorge Salas"] == "Person"


def test_a_ranked_name_before_a_country_that_qualifies_a_command_is_a_person() -> None:
    result = extract(
        "Adm. Jorge Salas Medina, Chilean Southern Command chief, said the drills ended. "
        "Gen. Pablo Ortega Ruiz, U.S. Africa Command commander, thanked the crews."
    )
    kinds = {a.label: a.kind for a in result.actors.values()}
    assert kinds["Jorge Salas Medina"] == "Person"
    assert kinds["Pablo Ortega Ruiz"] == "Person"


def test_the_name_fled_by_civilians_is_a_place() -> None:
    result = extract("Families who fled Umm Rumaylah said the shelling had not stopped.")
    kinds = {a.label: a.kind for a in result.actors.values()}
    assert kinds["Umm Rumaylah"] == "Place"


def test_coalition_counterparts_are_the_coalition_and_a_town_comma_country_one_place() -> None:
    result = extract(
        "Talking to reporters after a meeting with NATO counterparts in Lyon, France, "
        "Foreign Minister Maria Gonzalez said the talks went well."
    )
    (meeting,) = events_of(result, "Meeting")
    assert names(result, meeting.all_actors()) == {"Maria Gonzalez", "NATO"}
    assert label(result, meeting.location) == "Lyon" and meeting.other_locations == []


def test_a_name_the_ner_missed_after_near_is_a_place() -> None:
    result = extract("Near Khirbet Umm Nasr, one strike engaged a Hamas unit.")
    (assault,) = events_of(result, "Assault")
    assert label(result, assault.location) == "Khirbet Umm Nasr"


def test_a_place_phrase_opening_the_sentence_is_where_its_events_happen() -> None:
    result = extract(
        "In Valparaiso, Maria Gonzalez met Jorge Salas. Near Umm Nasr, one strike "
        "engaged a Hamas unit. In a statement, Peru welcomed the talks."
    )
    (meeting,) = events_of(result, "Meeting")
    assert label(result, meeting.location) == "Valparaiso"
    (assault,) = events_of(result, "Assault")
    assert label(result, assault.location) == "Umm Nasr"


def test_two_titled_names_joined_by_and_both_host_and_each_guest_is_named_once() -> None:
    result = extract(
        "Chilean Foreign Minister Maria Gonzalez and Chilean Defence Minister Jorge Salas "
        "will host defence ministers of the African Union in Santiago on May 3, for the "
        "first joint session of the African Union."
    )
    (visit,) = events_of(result, "Visit")
    assert names(result, visit.recipients) == {"Maria Gonzalez", "Jorge Salas"}
    assert [label(result, a) for a in visit.initiators] == ["African Union"]
    assert label(result, visit.location) == "Santiago"


def test_a_title_the_parser_takes_for_the_subject_stands_for_its_holder() -> None:
    result = extract(
        "Special Envoy for Somalia Pablo Ortega will lead a delegation to Nairobi for a "
        "meeting with senior members of the East African Community."
    )
    (meeting,) = events_of(result, "Meeting")
    assert names(result, meeting.initiators) == {"Pablo Ortega"}
    assert names(result, meeting.recipients) == {"East African Community"}


def test_a_place_after_an_in_phrase_is_where_not_whom_an_attack_targets() -> None:
    result = extract(
        "The talks will explore ways to accelerate the fight against Boko Haram in "
        "Nigeria and Chad and its allies beyond the region."
    )
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.recipients) == {"Boko Haram"}
    assert label(result, assault.location) == "Nigeria"
    assert names(result, assault.other_locations) == {"Chad"}


def test_closing_in_or_advancing_on_a_town_is_an_attack_there() -> None:
    result = extract(
        "Reports of abuses came as Malian forces close in on Gao. "
        "Kenyan forces advanced on Kismayo on Monday. The embassy closed on Monday, "
        "and Peru advanced its proposal on Tuesday."
    )
    assaults = events_of(result, "Assault")
    assert {(label(result, a.location), tuple(names(result, a.initiators))) for a in assaults} == {
        ("Gao", ("Armed forces of Mali",)),
        ("Kismayo", ("Armed forces of Kenya",)),
    }


def test_the_destruction_or_shelling_of_a_side_hits_that_side() -> None:
    result = extract(
        "The destruction of Hamas targets in Gaza limits the group's reach. "
        "Chilean jets continued the bombing of Hamas positions. "
        "The destruction of chemical weapons by Syria was completed."
    )
    assaults = events_of(result, "Assault")
    assert len(assaults) == 2  # destroying weapons hits nobody
    assert all(names(result, a.recipients) == {"Hamas"} for a in assaults)
    assert {label(result, a.location) for a in assaults} == {"Gaza", None}
    assert [names(result, a.initiators) for a in assaults if a.initiators] == [{"Chile"}]


def test_launching_an_operation_into_a_town_is_an_attack_there_but_a_rescue_is_not() -> None:
    result = extract(
        "After two days of fighting, Kenyan troops launched a new stage of their operation "
        "into the town of Afmadow. Kenya launched a rescue operation in Garissa."
    )
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.initiators) == {"Armed forces of Kenya"}
    assert label(result, assault.location) == "Afmadow"


def test_the_country_written_after_a_town_is_not_a_side_attacked() -> None:
    result = extract(
        "Kenyan troops announced that they had started their push to isolate Afmadow, "
        "Somalia, Nov. 6, 2016."
    )
    (assault,) = events_of(result, "Assault")
    assert label(result, assault.location) == "Afmadow" and assault.recipients == []


def test_who_welcomes_an_attack_does_not_fight_in_it() -> None:
    result = extract(
        "Minister Ana Ruiz welcomes the Government of Mali's liberation of Gao and "
        "reiterates Chilean support for Mali in the fight against Ansar Dine."
    )
    for assault in events_of(result, "Assault"):
        assert "Ana Ruiz" not in names(result, assault.all_actors())


def test_armed_sides_a_clause_is_about_fight_in_its_operations_against_a_foe() -> None:
    result = extract(
        "Peruvian security forces stand accused of grave abuses during earlier "
        "operations against Hamas. Maria Gonzalez praised progress in the "
        "campaign against Hamas. Sunni paramilitary groups were blamed for abuses during "
        "the fight against Hezbollah."
    )
    sides = {
        frozenset(names(result, a.initiators)): names(result, a.recipients)
        for a in events_of(result, "Assault")
    }
    assert sides == {
        frozenset({"Armed forces of Peru"}): {"Hamas"},
        frozenset(): {"Hamas"},  # a minister who speaks of a campaign is not in it
        frozenset({"Sunni paramilitary groups"}): {"Hezbollah"},
    }
    assert result.actors["Organization:Sunni paramilitary groups"].dip_class == "ArmedGroup"


def test_the_place_of_what_is_discussed_is_not_where_the_talks_are() -> None:
    result = extract(
        "Maria Gonzalez and Jorge Salas discussed the situation in Bolivia. "
        "Maria Gonzalez met Jorge Salas in Quito."
    )
    (talks,) = events_of(result, "Talks")
    assert talks.location is None
    (meeting,) = events_of(result, "Meeting")
    assert label(result, meeting.location) == "Quito"


def test_who_convenes_a_meeting_hosts_it() -> None:
    result = extract(
        "Deputy Foreign Minister Pablo Ortega will travel to Lima for Friday's regional "
        "meeting, convened by the Peruvian government, to discuss the crisis in Bolivia."
    )
    (meeting,) = events_of(result, "Meeting")
    assert names(result, meeting.initiators) == {"Pablo Ortega"}
    assert names(result, meeting.recipients) == {"Government of Peru"}
    assert label(result, meeting.location) == "Lima" and meeting.status == PLANNED


def test_talks_a_meeting_or_trip_is_for_are_held_where_it_is() -> None:
    result = extract(
        "Deputy Foreign Minister Pablo Ortega met Jorge Salas in Quito to discuss the "
        "crisis in Bolivia."
    )
    (talks,) = events_of(result, "Talks")
    assert label(result, talks.location) == "Quito"
    assert names(result, talks.participants) == {"Pablo Ortega", "Jorge Salas"}


def test_a_hosted_summit_has_its_host_and_its_attendees() -> None:
    result = extract(
        "Egypt hosted a summit on the Gaza crisis attended by leaders from Jordan, Qatar and Oman."
    )
    (summit,) = events_of(result, "Conference")
    assert summit.initiators == []
    assert names(result, summit.recipients) == {"Egypt"}
    assert names(result, summit.participants) == {"Jordan", "Qatar", "Oman"}


def test_receiving_a_shipment_of_tanks_is_a_transfer_not_a_visit() -> None:
    result = extract("Peru received a shipment of Jaguar tanks from Chile last month.")
    assert events_of(result, "Visit") == []
    (transfer,) = events_of(result, "ArmsTransfer")
    assert names(result, transfer.initiators) == {"Chile"}
    assert names(result, transfer.recipients) == {"Peru"}
    assert transfer.weapon == "Jaguar tanks"
    assert not [a for a in result.actors.values() if a.label == "Jaguar"]
    host = extract("Chile received the Peruvian foreign minister in Santiago.")
    (visit,) = events_of(host, "Visit")
    assert names(host, visit.recipients) == {"Chile"}


def test_sides_that_exchange_fire_or_clash_fight_each_other() -> None:
    result = extract(
        "India and Pakistan exchanged fire along the border. Indian troops clashed with "
        "Pakistani forces near Uri."
    )
    assaults = events_of(result, "Assault")
    assert len(assaults) == 2 and events_of(result, "Cooperate") == []
    assert names(result, assaults[0].participants) == {"India", "Pakistan"}
    assert assaults[0].initiators == []
    assert names(result, assaults[1].recipients) == {"Armed forces of Pakistan"}


def test_calling_on_or_for_is_a_request_and_who_is_called_on_acts() -> None:
    result = extract(
        "Peru called on Chile to withdraw its troops. Norway called the Chilean ambassador "
        "on Monday. Lucia Diaz, the Uruguayan president, called for talks between Chile and "
        "Peru."
    )
    requests = {
        (label(result, r.initiators[0]), frozenset(names(result, r.recipients)))
        for r in events_of(result, "Request")
    }
    assert requests == {("Peru", frozenset({"Chile"})), ("Lucia Diaz", frozenset())}
    (retreat,) = events_of(result, "Retreat")
    assert names(result, retreat.initiators) == {"Chile"}


def test_suspending_a_membership_or_recalling_an_envoy_is_a_sanction() -> None:
    result = extract(
        "The African Union suspended Mali's membership after the coup. Chile recalled its "
        "ambassador from Peru."
    )
    sanctions = {
        (label(result, e.initiators[0]), label(result, e.recipients[0]))
        for e in events_of(result, "Sanction")
    }
    assert sanctions == {("African Union", "Mali"), ("Chile", "Peru")}


def test_who_urges_another_to_attack_does_not_attack() -> None:
    result = extract("Norway urged Chile to attack Hamas.")
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.initiators) == {"Chile"}
    assert events_of(result, "Cooperate") == []
    (request,) = events_of(result, "Request")
    assert names(result, request.initiators) == {"Norway"}


def test_who_fights_alongside_fights_the_same_enemy_and_cooperates_once() -> None:
    result = extract("Chile fought Hamas alongside Peru.")
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.initiators) == {"Chile", "Peru"}
    assert names(result, assault.recipients) == {"Hamas"}
    assert len(events_of(result, "Cooperate")) == 1


def test_a_town_before_an_event_noun_or_after_clearing_from_is_its_place() -> None:
    result = extract(
        "Chile will attend the Lyon meeting on Peru. Peru vowed to keep clearing Hamas "
        "from Valparaiso."
    )
    (meeting,) = events_of(result, "Meeting")
    assert label(result, meeting.location) == "Lyon" and meeting.initiators == ["Country:CL"]
    (assault,) = events_of(result, "Assault")
    assert label(result, assault.location) == "Valparaiso"
    assert names(result, assault.recipients) == {"Hamas"}


def test_countering_what_an_actor_has_is_no_attack_on_it() -> None:
    result = extract(
        "The alliance wants to counter Russia's influence. Chile will confront Peru's "
        "claims. NATO vowed to defeat Hamas."
    )
    assert [names(result, e.recipients) for e in events_of(result, "Assault")] == [{"Hamas"}]


def test_the_subject_of_being_ready_or_willing_acts_and_offers() -> None:
    result = extract("Chile is ready to contribute troops to the mission in Mali.")
    (aid,) = events_of(result, "Aid")
    assert names(result, aid.initiators) == {"Chile"}
    (offer,) = events_of(result, "Agree")
    assert names(result, offer.initiators) == {"Chile"}


def test_a_staged_hunger_strike_is_a_protest_by_whoever_staged_it() -> None:
    result = extract("Omar Haddad, a Chilean activist, staged a hunger strike in Lima.")
    (protest,) = events_of(result, "Protest")
    assert names(result, protest.initiators) == {"Omar Haddad"}


def test_a_series_of_attacks_on_an_actor_is_one_attack_by_who_launched_it() -> None:
    result = extract("Chile launched a series of attacks on Hamas. Peru cut its aid to Bolivia.")
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.initiators) == {"Chile"}
    assert names(result, assault.recipients) == {"Hamas"}
    (sanction,) = events_of(result, "Sanction")
    assert names(result, sanction.recipients) == {"Bolivia"} and sanction.location is None


def test_days_of_war_games_are_cooperation() -> None:
    result = extract("Chilean and Peruvian warships launched ten days of war games.")
    assert events_of(result, "Cooperate")


def test_those_named_before_in_support_of_give_the_support() -> None:
    result = extract(
        "Officials will review the continued help for Chile, Bolivia, and others in "
        "support of the African Union mission."
    )
    support = [e for e in events_of(result, "Support") if e.recipients]
    assert any(
        names(result, e.initiators) == {"Chile", "Bolivia"}
        and names(result, e.recipients) == {"African Union"}
        for e in support
    ), [(names(result, e.initiators), names(result, e.recipients)) for e in support]


def test_a_countrys_rebels_or_opposition_are_a_group_of_that_country_not_the_country() -> None:
    result = extract("Libyan rebels attacked Tripoli. The Chilean opposition met in Lima.")
    rebels = result.actors["Organization:Libyan rebels"]
    assert rebels.dip_class == "ArmedGroup" and rebels.home_country == "LY"
    assert "Organization:Chilean opposition" in result.actors
    assert "Country:LY" not in result.actors  # no other mention of Libya
    two_words = extract("South Sudanese rebels attacked Juba. Sudan protested.")
    assert "Organization:South Sudanese rebels" in two_words.actors
    assert "Country:SS" not in two_words.actors and "Country:SD" in two_words.actors
    for unit_actor in (a for a, _span in two_words.mentions):
        assert unit_actor in two_words.actors  # no mention of an actor taken back
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.initiators) == {"Libyan rebels"}


def test_a_people_is_a_group_of_its_country_not_the_state() -> None:
    result = extract("Chile stands with the Peruvian people as they confront Hamas.")
    people = result.actors["Organization:Peruvian people"]
    assert people.home_country == "PE" and "Country:PE" not in result.actors
    (assault,) = events_of(result, "Assault")
    assert names(result, assault.initiators) == {"Peruvian people"}
    assert names(result, assault.recipients) == {"Hamas"}


# --------------------------------------------------------------------------- status
@pytest.mark.parametrize(
    ("text", "dip_class", "status"),
    [
        ("Maria Gonzalez met Jorge Salas in Lima.", "Meeting", OCCURRED),
        ("Maria Gonzalez is scheduled to visit Lima on Sunday.", "Visit", PLANNED),
        ("Maria Gonzalez will meet Jorge Salas in Lima next week.", "Meeting", PLANNED),
        ("Maria Gonzalez is expected to meet Jorge Salas.", "Meeting", PLANNED),
        ("Maria Gonzalez plans to visit Chile.", "Visit", PLANNED),
        ("Maria Gonzalez could meet Jorge Salas in Lima.", "Meeting", PROPOSED),
        (
            "Officials discussed the possibility of a visit to Chile by Maria Gonzalez.",
            "Visit",
            PROPOSED,
        ),
        ("Maria Gonzalez did not meet Jorge Salas in Lima.", "Meeting", DENIED),
        ("Chile does not sell weapons to Peru.", "ArmsTransfer", DENIED),
        ("Peru urged Chile not to sell missiles to Bolivia.", "ArmsTransfer", PROPOSED),
        ("Chile and Peru agreed to discuss the border.", "Talks", PLANNED),
        ("Peru denied that it had attacked Chile.", "Assault", DENIED),
        ("Chile demanded that Peru withdraw its troops.", "Retreat", PROPOSED),
        ("A Chilean plan to attack Peru was leaked.", "Assault", PLANNED),
        ("Peru denied attacking Chile.", "Assault", DENIED),
        ("Peru rejected claims that it had shelled Arica.", "Assault", DENIED),
        ("Norway pledged to send aid to Kenya.", "Aid", PLANNED),
    ],
)
def test_status_follows_the_words_around_the_trigger(text, dip_class, status) -> None:  # type: ignore[no-untyped-def]
    result = extract(text)
    found = events_of(result, dip_class)
    assert found, [(e.dip_class, e.label) for e in result.events]
    assert found[0].status == status


def test_a_question_asserts_no_event_and_its_answer_does() -> None:
    result = extract(
        "Question: Will Chile join the Lima talks on Peru next week, and at what level, etc.?"
        "\n\nAnswer: Foreign Minister Pablo Ortega will travel to Lima for the talks. Why "
        "would Chile attack Peru?"
    )
    assert all("Chile" not in names(result, e.all_actors()) for e in result.events)
    (visit,) = events_of(result, "Visit")
    assert names(result, visit.initiators) == {"Pablo Ortega"}


def test_being_ready_to_host_talks_between_others_is_an_offer_to_them() -> None:
    result = extract("Norway said it was ready to host talks between Chile and Peru.")
    (offer,) = events_of(result, "Agree")
    assert names(result, offer.initiators) == {"Norway"}
    assert names(result, offer.recipients) == {"Chile", "Peru"}
    (talks,) = events_of(result, "Talks")
    assert offer.about_event is talks and talks.status == PROPOSED


def test_talks_someone_agrees_were_useful_are_no_offer() -> None:
    result = extract("Chile agreed that the talks with Peru were useful.")
    assert [e for e in events_of(result, "Agree") if e.about_event is not None] == []


def test_a_stated_intention_is_an_offer_or_a_threat_about_the_act() -> None:
    result = extract(
        "Norway will give Kenya a grant of ten million dollars. Chile said it "
        "would impose sanctions on Peru."
    )
    (offer,) = events_of(result, "Agree")
    assert names(result, offer.initiators) == {"Norway"}
    assert offer.about_event is not None and offer.about_event.dip_class == "Aid"
    assert offer.about_event.status == PLANNED
    (threat,) = events_of(result, "Threaten")
    assert names(result, threat.initiators) == {"Chile"}
    assert threat.about_event is not None and threat.about_event.dip_class == "Sanction"


# --------------------------------------------------------------------------- dates
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maria Gonzalez met Jorge Salas on Tuesday.", ("2025-06-03", "date")),
        ("Maria Gonzalez met Jorge Salas in March.", ("2025-03", "gYearMonth")),
        ("Maria Gonzalez met Jorge Salas in 2019.", ("2019", "gYear")),
        ("Maria Gonzalez will meet Jorge Salas in late summer.", ("2025", "gYear")),
        ("Maria Gonzalez will meet Jorge Salas on Friday.", ("2025-06-06", "date")),
    ],
)
def test_dates_resolve_against_the_publication_date(text, expected) -> None:  # type: ignore[no-untyped-def]
    result = extract(text, published=date(2025, 6, 4))
    (meeting,) = events_of(result, "Meeting")
    assert meeting.date == expected


def test_a_relative_date_without_a_publication_date_keeps_only_its_text() -> None:
    result = extract("Maria Gonzalez met Jorge Salas last week.")
    (meeting,) = events_of(result, "Meeting")
    assert (meeting.date, meeting.date_text) == (None, "last week")


# --------------------------------------------------------------------------- statements
def test_direct_quotes_with_the_speaker_after_before_and_continuing() -> None:
    text = (
        "“We will not accept these tariffs,” Chilean Foreign Minister Maria Gonzalez said. "
        "“Our exporters deserve fair treatment from every partner.”\n"
        "Jorge Salas responded: “Peru has always respected the trade rules we share.”"
    )
    result = extract(text)
    quotes = {(label(result, s.speaker), s.quote) for s in result.statements if s.quote}
    assert ("Maria Gonzalez", "We will not accept these tariffs,") in quotes
    assert ("Maria Gonzalez", "Our exporters deserve fair treatment from every partner.") in quotes
    assert ("Jorge Salas", "Peru has always respected the trade rules we share.") in quotes
    for statement in result.statements:
        assert statement.evidence.text == text[statement.evidence.start : statement.evidence.end]


def test_reported_speech_with_a_pronoun_and_an_addressee() -> None:
    result = extract(
        "Foreign Minister Maria Gonzalez of Chile met reporters. She told Peru that "
        "the border would stay open."
    )
    (statement,) = [s for s in result.statements if s.content]
    assert label(result, statement.speaker) == "Maria Gonzalez"
    assert label(result, statement.recipient) == "Peru"
    assert statement.content == "the border would stay open"


def test_he_carries_on_the_subject_not_the_last_name_read() -> None:
    result = extract(
        "Foreign Minister Pablo Ortega arrived in Lima on Monday. He met President Jorge "
        "Salas of Peru. He said the talks were useful."
    )
    (statement,) = result.statements
    assert label(result, statement.speaker) == "Pablo Ortega"
    (meeting,) = events_of(result, "Meeting")
    assert names(result, meeting.initiators) == {"Pablo Ortega"}
    # with no subject near, the last person named
    far = extract("The talks were hosted by President Jorge Salas. He said they were useful.")
    assert [label(far, s.speaker) for s in far.statements] == ["Jorge Salas"]


def test_scare_quotes_are_not_statements() -> None:
    result = extract('Officials spoke of "momentum" in Chilean-Peruvian relations.')
    assert result.statements == []


def test_statements_carry_topics() -> None:
    result = extract("Maria Gonzalez said Iran's nuclear programme worried her government.")
    (statement,) = result.statements
    assert "IranNuclearProgramme" in statement.topics


def test_a_statement_is_about_what_its_words_name_but_not_its_speaker() -> None:
    result = extract(
        "“Chile will never accept a naval base run by Peru,” Maria Gonzalez said. "
        "Jorge Salas said Bolivia would reopen its embassy in Quito. "
        "Maria Gonzalez said she herself would travel."
    )
    about = {
        (label(result, s.speaker), frozenset(label(result, a) for a in s.about))
        for s in result.statements
    }
    assert ("Maria Gonzalez", frozenset({"Chile", "Peru"})) in about
    assert ("Jorge Salas", frozenset({"Bolivia", "Quito"})) in about
    assert ("Maria Gonzalez", frozenset()) in about  # her own name is not a subject


def test_a_full_stop_the_ner_takes_in_is_not_part_of_the_name() -> None:
    text = (
        "Moldova and Turkmenistan signed an agreement on migration in Ashgabat. "
        "Gambia and Senegal signed an agreement on the ceasefire in Riyadh."
    )
    result = extract(text)
    spans = [span.text for _aid, span in result.mentions]
    assert "Ashgabat" in spans and not [s for s in spans if s.endswith(".")]
    assert {a.label for a in result.actors.values()} >= {"Ashgabat", "Riyadh"}


@pytest.mark.parametrize("future", [False, True])
def test_common_time_expressions_resolve_as_dateparser_resolves_them(future: bool) -> None:
    """The fast path for the commonest expressions must agree with dateparser."""
    from datetime import timedelta

    from communique.loaders.rules import dates

    words = ["today", "tonight", "this morning", "yesterday", "tomorrow"]
    words += [f"{w} {u}" for w in ("last", "next", "this") for u in ("week", "month", "year")]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        words += [day, f"on {day}", f"last {day}", f"next {day}"]
    for offset in range(0, 400, 23):  # every weekday, month ends and a year end
        base = date(2015, 12, 20) + timedelta(days=offset)
        for text in words:
            quick = dates._common_expression(text, base, future=future)
            parser = dates._parser("future" if future else "past", dates._as_datetime(base))
            data = parser.get_date_data(text)
            expected = dates._from_parsed(data)
            assert quick == expected, (text, base, future)
