"""Generate realistic, deterministic data in the tajsec ontology, for benchmarks.

    .venv/bin/python benchmarks/generate.py --triples 100k --out build/bench/data-100k.ttl
    .venv/bin/python benchmarks/generate.py --triples 10k --defects 40 --out build/bench/bad-10k.nt

The data describes the security sectors of N invented countries (as many as it takes to reach
the requested number of triples), each as one "paper" would: the state, its provinces and
towns, ministries and agencies with sub-units, people and their tenures (intervals with
instants at day, month or year precision), events with dates, measurements with hedged
quantities, claims with holders, designations of groups, outsourcing claims, assistance from
other countries, agreements with terms, relative locations, sections and footnotes (27-65) of
the paper, the works they cite, evidence quotes and prov:wasDerivedFrom on every statement.
Relation statements are used for sub-organisations and places, as in instances/.

The same seed and size always give the same bytes. Without --defects the data conforms to
shapes/; with --defects K, K defects of assorted kinds (ill-typed dates, a missing claim holder,
a minimum above its maximum, ...) are planted, so that engines can be compared on findings.
The file is written atomically (a temporary file, then renamed). Output is N-Triples for .nt,
Turtle (with prefixes, one block per subject) for .ttl.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

TS = "https://w3id.org/tajsec/onto/"
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "ts": TS,
    "gen": "https://example.org/tajsec-bench/",
}
GEN = PREFIXES["gen"]
XSD = PREFIXES["xsd"]


def iri(prefixed: str) -> str:
    p, local = prefixed.split(":", 1)
    return f"<{PREFIXES[p]}{local}>"


def lit(text: str, lang: str | None = None, dt: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{esc}"@{lang}'
    if dt:
        return f'"{esc}"^^{iri(dt)}'
    return f'"{esc}"'


A = iri("rdf:type")
LABEL = iri("rdfs:label")
P = {k: iri(k) for k in [
    "skos:altLabel", "skos:exactMatch", "schema:isPartOf", "schema:startDate", "schema:endDate",
    "schema:location", "schema:value", "schema:minValue", "schema:maxValue", "schema:datePublished",
    "prov:wasDerivedFrom", "org:member", "org:organization", "org:role", "org:memberDuring",
    "time:hasBeginning", "time:hasEnd", "time:inXSDDate", "time:inXSDgYearMonth", "time:inXSDgYear",
    "dcterms:title", "dcterms:language", "dcterms:creator",
    "ts:inSection", "ts:statedIn", "ts:evidenceQuote", "ts:footnote", "ts:footnoteNumber", "ts:sectionNumber",
    "ts:cites", "ts:subject", "ts:predicate", "ts:object", "ts:value", "ts:negated",
    "ts:measuredEntity", "ts:aspect", "ts:quantity", "ts:unit", "ts:hedge", "ts:valueText",
    "ts:claimHolder", "ts:claimKind", "ts:claimText", "ts:designator", "ts:designatedGroup",
    "ts:designatedAs", "ts:outsourcedFunction", "ts:outsourcedTo", "ts:outsourcedBy",
    "ts:provider", "ts:recipient", "ts:assistanceKind", "ts:status", "ts:validDuring",
    "ts:viaProgramme", "ts:party", "ts:agreement", "ts:termText", "ts:agentOf", "ts:affected",
    "ts:locatedPlace", "ts:distanceFrom", "ts:timeText",
]}

FIRST = ["Aziz", "Bahrom", "Dilshod", "Farhod", "Gulnora", "Jamshed", "Karim", "Lola", "Mahmud",
         "Nodira", "Olim", "Parviz", "Rustam", "Saida", "Timur", "Umed", "Zarina", "Shavkat",
         "Davron", "Firuza", "Ikrom", "Khurshed", "Manizha", "Nurali", "Rahim", "Sherali"]
LAST = ["Abdulloev", "Boboev", "Davlatov", "Ergashev", "Faizulloev", "Ghaforov", "Hakimov",
        "Ismoilov", "Jurayev", "Karimov", "Latifov", "Mirzoev", "Nazarov", "Odinaev", "Qodirov",
        "Rahmonov", "Safarov", "Tursunov", "Usmonov", "Vohidov", "Yusufov", "Zokirov"]
SYL = ["ka", "ra", "ta", "bo", "di", "stan", "mir", "kul", "ob", "sha", "zar", "nur", "ab", "dar",
       "gol", "kh", "an", "ur", "is", "tol", "bek", "van", "yor", "lan"]
AGENCY_KINDS = [("Ministry of Interior", ["ts:PowerMinistry", "ts:PoliceForce"]),
                ("Ministry of Security", ["ts:PowerMinistry", "ts:IntelligenceService"]),
                ("Ministry of Defence", ["ts:PowerMinistry"]),
                ("Border Troops", ["ts:BorderTroops"]),
                ("Customs Service", ["ts:CustomsService", "ts:StateAgency"]),
                ("Drug Control Agency", ["ts:LawEnforcementAgency", "ts:StateAgency"]),
                ("Presidential Guard", ["ts:PresidentialGuard"]),
                ("Armed Forces", ["ts:ArmedForces"])]
UNIT_KINDS = ["ts:SpecialForcesUnit", "ts:MilitaryUnit", "ts:PoliceForce"]
EVENT_KINDS = ["ts:Arrest", "ts:Appointment", "ts:Dismissal", "ts:Seizure", "ts:MilitaryExercise",
               "ts:Meeting", "ts:Signing", "ts:Visit", "ts:Deployment", "ts:Handover", "ts:Protest"]
ROLES = ["role-head", "role-minister", "role-commander", "role-adviser", "role-member", "role-leader"]
ASPECTS = ["aspect-personnel", "aspect-amount-of-money", "aspect-seized-amount", "aspect-count",
           "aspect-equipment", "aspect-salary", "aspect-debt", "aspect-share"]
UNITS = {"aspect-personnel": "unit-person", "aspect-amount-of-money": "unit-usd",
         "aspect-seized-amount": "unit-kilogram", "aspect-count": "unit-item",
         "aspect-equipment": "unit-item", "aspect-salary": "unit-usd-per-month",
         "aspect-debt": "unit-usd", "aspect-share": "unit-percent"}
HEDGES_EXACT = ["hedge-exact", "hedge-about", "hedge-estimated"]
CLAIM_KINDS = ["claim-assessment", "claim-belief", "claim-report", "claim-statement", "claim-accusation"]
STATUSES = ["status-done", "status-planned", "status-pledged", "status-promised", "status-envisaged"]
ASSIST = ["assistance-equipment", "assistance-training", "assistance-money", "assistance-technical-support"]
FUNCTIONS = ["function-border-protection", "function-drug-control", "function-counter-terrorism",
             "function-regime-security", "function-intelligence", "function-customs-control"]
DESIGNATIONS = ["designated-terrorist-organisation", "designated-legal-organisation",
                "designated-opposition-movement"]
SECTION_TITLES = ["Introduction", "Security Framework", "Role of Security Agencies", "Individual Agencies",
                  "Internal Agenda", "New Players", "Realignment", "Conclusion"]
WORDS = ("security sector reform border drug trafficking agency ministry regime troops assistance "
         "government president officials forces police customs corruption salaries training equipment "
         "opposition agreement base withdrawal deployment seizures heroin extremism cooperation").split()


class Writer:
    def __init__(self):
        self.blocks: list[tuple[str, list[tuple[str, str]]]] = []
        self.triples = 0

    def add(self, s: str, *po: tuple[str, str]) -> None:
        self.blocks.append((s, list(po)))
        self.triples += len(po)

    def more(self, s: str, *po: tuple[str, str]) -> None:
        """More triples about the subject of the last block (or a new block)."""
        if self.blocks and self.blocks[-1][0] == s:
            self.blocks[-1][1].extend(po)
            self.triples += len(po)
        else:
            self.add(s, *po)


class Country:
    """Everything about one invented country's security sector."""

    def __init__(self, w: Writer, rng: random.Random, n: int, neighbours: list[str], defects: list):
        self.w, self.rng, self.n = w, rng, n
        self.key = f"c{n:05d}"
        self.name = self.word(3).capitalize() + "stan"
        self.neighbours = neighbours
        self.defects = defects
        self.statements = 0

    # -- helpers ---------------------------------------------------------------------------

    def word(self, k: int) -> str:
        return "".join(self.rng.choice(SYL) for _ in range(k))

    def id(self, local: str) -> str:
        return f"<{GEN}{self.key}/{local}>"

    def sentence(self, *names: str) -> str:
        words = [self.rng.choice(WORDS) for _ in range(self.rng.randint(6, 14))]
        for nm in names:
            words.insert(self.rng.randrange(len(words) + 1), nm)
        return " ".join(words).capitalize() + "."

    def date(self, precision: str | None = None) -> tuple[str, str, str]:
        """(lexical, datatype prefixed name, time:inXSD... property) at a random precision."""
        y = self.rng.randint(1991, 2004)
        m = self.rng.randint(1, 12)
        d = self.rng.randint(1, 28)
        p = precision or self.rng.choice(["date", "gYearMonth", "gYear"])
        if p == "date":
            return f"{y:04d}-{m:02d}-{d:02d}", "xsd:date", "time:inXSDDate"
        if p == "gYearMonth":
            return f"{y:04d}-{m:02d}", "xsd:gYearMonth", "time:inXSDgYearMonth"
        return f"{y:04d}", "xsd:gYear", "time:inXSDgYear"

    def defect(self, kind: str) -> bool:
        """Whether to plant a defect of this kind here (consumes one from the budget)."""
        if kind in self.defects:
            self.defects.remove(kind)
            return True
        return False

    def provenance(self, s: str, quote_names=()):
        sec = self.rng.choice(self.sections)
        po = [(P["prov:wasDerivedFrom"], self.paper), (P["ts:inSection"], sec), (P["ts:statedIn"], sec),
              (P["ts:evidenceQuote"], lit(self.sentence(*quote_names)))]
        if self.rng.random() < 0.5:
            fn, works = self.rng.choice(self.footnotes)
            po.append((P["ts:footnote"], fn))
            po.extend((P["prov:wasDerivedFrom"], wk) for wk in works)
        return po

    def statement(self, local: str, types: list[str], label: str, *po, quote_names=()) -> str:
        s = self.id(local)
        self.statements += 1
        prov = self.provenance(s, quote_names)
        if self.defect("statement-no-source"):
            prov = [x for x in prov if x[0] != P["prov:wasDerivedFrom"]]
        if self.defect("statement-short-quote"):
            prov = [x if x[0] != P["ts:evidenceQuote"] else (x[0], lit("ok")) for x in prov]
        self.w.add(s, *[(A, iri(t)) for t in types], (LABEL, lit(label, "en")), *po, *prov)
        return s

    def entity(self, local: str, types: list[str], label: str, *po, alt: str | None = None,
               wikidata: bool = False) -> str:
        s = self.id(local)
        extra = []
        if alt:
            extra.append((P["skos:altLabel"], lit(alt, "en")))
        if wikidata:
            q = self.rng.randint(1000, 99999999)
            target = f"<http://www.wikidata.org/entity/Q{q}>"
            if self.defect("bad-wikidata"):
                target = f"<https://www.wikidata.org/wiki/Q{q}>"
            extra.append((P["skos:exactMatch"], target))
        label_lit = lit(label, "en")
        if self.defect("label-not-tagged"):
            label_lit = lit(label)
        sec = self.rng.choice(self.sections)
        if any(t in EVENT_KINDS for t in types):  # an event is a statement: where the paper states it
            extra.append((P["ts:statedIn"], sec))
        self.w.add(s, *[(A, iri(t)) for t in types], (LABEL, label_lit), *po, *extra,
                   (P["ts:inSection"], sec),
                   (P["ts:evidenceQuote"], lit(self.sentence(label))))
        return s

    def instant(self, local: str, precision: str | None = None) -> tuple[str, str]:
        lex, dt, prop = self.date(precision)
        if self.defect("ill-typed-instant"):
            lex = lex[:4] + "-13" if dt == "xsd:gYearMonth" else lex[:4] + "-02-30" if dt == "xsd:date" else "20x4"
        s = self.id(local)
        self.w.add(s, (A, iri("ts:Instant")), (P[prop], lit(lex, dt=dt)))
        return s, lex

    def interval(self, local: str) -> str:
        s = self.id(local)
        po = [(A, iri("ts:Interval"))]
        b_s, b = self.instant(local + "-begin")
        po.append((P["time:hasBeginning"], b_s))
        if self.rng.random() < 0.7:
            e_s, e = self.instant(local + "-end", "gYear")
            # an end no earlier than the beginning (compare on the common prefix)
            if e[:4] < b[:4] and not self.defect("interval-reversed"):
                self.w.blocks.pop()
                self.w.triples -= 2
                e_s, _ = self.instant_at(local + "-end", b[:4])
            po.append((P["time:hasEnd"], e_s))
        self.w.add(s, *po)
        return s

    def instant_at(self, local: str, year: str) -> tuple[str, str]:
        s = self.id(local)
        self.w.add(s, (A, iri("ts:Instant")), (P["time:inXSDgYear"], lit(year, dt="xsd:gYear")))
        return s, year

    def quantity(self, local: str, aspect: str) -> str:
        s = self.id(local)
        unit = UNITS[aspect]
        r = self.rng.random()
        po = [(A, iri("ts:Quantity")), (P["ts:unit"], iri("ts:" + unit))]
        if r < 0.6:
            v = self.rng.randint(1, 50000)
            po += [(P["schema:value"], lit(str(v), dt="xsd:integer")),
                   (P["ts:hedge"], iri("ts:" + self.rng.choice(HEDGES_EXACT))),
                   (P["ts:valueText"], lit(f"{v:,}"))]
        elif r < 0.8:
            lo = self.rng.randint(1, 20000)
            hi = lo + self.rng.randint(0, 5000)
            if self.defect("min-above-max"):
                lo, hi = hi + 10, lo
            po += [(P["schema:minValue"], lit(str(lo), dt="xsd:integer")),
                   (P["schema:maxValue"], lit(str(hi), dt="xsd:integer")),
                   (P["ts:hedge"], iri("ts:hedge-between")),
                   (P["ts:valueText"], lit(f"between {lo:,} and {hi:,}"))]
        elif r < 0.9:
            v = self.rng.randint(1, 20000)
            po += [(P["schema:minValue"], lit(str(v), dt="xsd:integer")),
                   (P["ts:hedge"], iri("ts:hedge-over")), (P["ts:valueText"], lit(f"over {v:,}"))]
        else:
            v = f"{self.rng.randint(1, 999)}.{self.rng.randint(0, 9)}"
            po += [(P["schema:maxValue"], lit(v, dt="xsd:decimal")),
                   (P["ts:hedge"], iri("ts:hedge-up-to")), (P["ts:valueText"], lit(f"up to {v}"))]
        if self.defect("quantity-no-unit"):
            po = [x for x in po if x[0] != P["ts:unit"]]
        self.w.add(s, *po)
        return s

    def relation(self, local: str, subj: str, pred: str, obj: str, label: str) -> str:
        po = [(P["ts:subject"], subj), (P["ts:predicate"], iri(pred)), (P["ts:object"], obj)]
        if self.defect("relation-object-and-value"):
            po.append((P["ts:value"], lit("also a value")))
        return self.statement(local, ["ts:RelationStatement"], label, *po)

    # -- the country ------------------------------------------------------------------------

    def generate(self) -> None:
        rng, name = self.rng, self.name
        self.paper = self.id("paper")
        self.sections = [self.id(f"section-{i + 1}") for i in range(len(SECTION_TITLES))]
        # the paper, its sections, the outlet and the cited works, the footnotes
        self.w.add(self.paper, (A, iri("ts:Chapter")),
                   (LABEL, lit(f"{name}: Evolution of the Security Sector", "en")),
                   (P["dcterms:title"], lit(f"{name}: Evolution of the Security Sector", "en")),
                   (P["schema:datePublished"], lit("2005", dt="xsd:gYear")))
        for i, (sec, title) in enumerate(zip(self.sections, SECTION_TITLES)):
            number = str(i + 1)
            if self.defect("section-number-zero"):
                number = "0"
            self.w.add(sec, (A, iri("ts:Section")), (LABEL, lit(title, "en")),
                       (P["schema:isPartOf"], self.paper), (P["ts:sectionNumber"], lit(number, dt="xsd:integer")))
        outlet = self.id("outlet")
        self.w.add(outlet, (A, iri("ts:Periodical")), (LABEL, lit(f"{name} Weekly", "en")))
        self.footnotes = []
        works = []
        for k in range(rng.randint(6, 12)):
            wk = self.id(f"work-{k}")
            lex, dt, _ = self.date()
            lang = rng.choice(["en", "ru"])
            title = self.sentence()[:60]
            po = [(A, iri(rng.choice(["ts:Article", "ts:NewsItem", "ts:Report"]))),
                  (LABEL, lit(title, "en")), (P["dcterms:title"], lit(title, lang)),
                  (P["schema:isPartOf"], outlet), (P["schema:datePublished"], lit(lex, dt=dt)),
                  (P["dcterms:language"], lit(lang))]
            if self.defect("date-published-as-text"):
                po[-2] = (P["schema:datePublished"], lit(f"published in {lex}"))
            self.w.add(wk, *po)
            works.append(wk)
        for number in range(27, 27 + rng.randint(8, 20)):
            fn = self.id(f"footnote-{number}")
            cited = rng.sample(works, rng.randint(1, 2))
            num = str(number)
            if self.defect("footnote-out-of-range"):
                num = "70"
            self.w.add(fn, (A, iri("ts:Footnote")), (LABEL, lit(f"Footnote {number}", "en")),
                       (P["ts:footnoteNumber"], lit(num, dt="xsd:integer")), (P["schema:isPartOf"], self.paper),
                       *[(P["ts:cites"], c) for c in cited],
                       (P["ts:evidenceQuote"], lit(self.sentence())))
            self.footnotes.append((fn, cited))

        # the state and its places
        state = self.entity("state", ["ts:State"], name, alt=f"Republic of {name}", wikidata=True)
        capital = self.entity("capital", ["ts:Settlement"], self.word(2).capitalize() + "abad", wikidata=True)
        self.relation("st-capital-in-state", capital, "schema:containedInPlace", state, f"The capital is in {name}")
        places = [capital]
        for p in range(rng.randint(3, 5)):
            prov = self.entity(f"province-{p}", ["ts:AdministrativeRegion"], self.word(2).capitalize() + " Province")
            self.relation(f"st-province-{p}-in-state", prov, "schema:containedInPlace", state, "A province of the state")
            for t in range(rng.randint(1, 3)):
                town = self.entity(f"town-{p}-{t}", ["ts:Settlement"], self.word(2).capitalize())
                self.relation(f"st-town-{p}-{t}", town, "schema:containedInPlace", prov, "A town in a province")
                places.append(town)
        base = self.entity("base", ["ts:MilitaryBase"], f"{name} air base")
        places.append(base)
        rl_q = self.quantity("q-base-distance", "aspect-count")
        self.statement("st-base-location", ["ts:RelativeLocation"], "Where the base is",
                       (P["ts:locatedPlace"], base), (P["ts:distanceFrom"], capital), (P["ts:quantity"], rl_q))

        # government, agencies and their sub-units
        president = self.entity("office-of-the-president", ["ts:ExecutiveOffice"], f"Office of the President of {name}")
        agencies = []
        for a, (label, types) in enumerate(rng.sample(AGENCY_KINDS, rng.randint(5, 8))):
            ag = self.entity(f"agency-{a}", types, f"{label} of {name}", alt=label)
            agencies.append(ag)
            self.relation(f"st-agency-{a}-under-president", ag, "org:subOrganizationOf", president,
                          f"{label} is under the president")
            for u in range(rng.randint(1, 4)):
                unit = self.entity(f"agency-{a}-unit-{u}", [rng.choice(UNIT_KINDS)], f"{label} unit {u + 1}")
                self.relation(f"st-agency-{a}-unit-{u}", unit, "org:subOrganizationOf", ag, "A sub-unit of an agency")
                agencies.append(unit)
        groups = []
        for g in range(rng.randint(2, 4)):
            groups.append(self.entity(f"group-{g}", [rng.choice(["ts:IslamistMovement", "ts:ArmedGroup",
                                                                 "ts:CriminalGroup", "ts:PoliticalParty"])],
                                      self.word(3).capitalize() + " movement"))
        programme = self.entity("programme", ["ts:Programme"], f"{name} border management programme")

        # people and their tenures
        people = []
        for i in range(rng.randint(15, 30)):
            full = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            person = self.entity(f"person-{i}", ["ts:Person"], full, alt=full.split()[1])
            people.append(person)
            for t in range(rng.randint(1, 3)):
                org = rng.choice(agencies)
                po = [(P["org:member"], person), (P["org:organization"], org),
                      (P["org:role"], iri("ts:" + rng.choice(ROLES)))]
                if self.defect("tenure-no-member"):
                    po = po[1:]
                if rng.random() < 0.85:
                    po.append((P["org:memberDuring"], self.interval(f"interval-{i}-{t}")))
                else:
                    po.append((P["ts:timeText"], lit("previously", "en")))
                self.statement(f"tenure-{i}-{t}", ["ts:Tenure"], f"{full}'s post", *po, quote_names=(full,))

        # events
        for e in range(rng.randint(20, 40)):
            kind = rng.choice(EVENT_KINDS)
            lex, dt, _ = self.date()
            po = [(P["schema:startDate"], lit(lex, dt=dt)), (P["schema:location"], rng.choice(places)),
                  (P["ts:agentOf"], rng.choice(agencies)), (P["ts:status"], iri("ts:" + rng.choice(["status-done", "status-planned"]))),
                  (P["prov:wasDerivedFrom"], self.paper)]
            if kind in ("ts:Arrest", "ts:Dismissal", "ts:Appointment"):
                po.append((P["ts:affected"], rng.choice(people)))
            if rng.random() < 0.2:
                end = str(int(lex[:4]) + rng.randint(0, 2))
                po.append((P["schema:endDate"], lit(end, dt="xsd:gYear")))
            if self.defect("event-ill-typed-date"):
                po[0] = (P["schema:startDate"], lit(lex[:4] + "-13", dt="xsd:gYearMonth"))
            if self.defect("event-start-after-end"):
                po.append((P["schema:endDate"], lit("1990", dt="xsd:gYear")))
            if self.defect("event-location-not-place"):
                po[1] = (P["schema:location"], rng.choice(people))
            self.entity(f"event-{e}", [kind], f"{kind[3:]} in {name} ({lex})", *po)

        # measurements
        for m in range(rng.randint(15, 30)):
            aspect = rng.choice(ASPECTS)
            ent = rng.choice(agencies + [state])
            q = self.quantity(f"q-{m}", aspect)
            po = [(P["ts:measuredEntity"], ent), (P["ts:aspect"], iri("ts:" + aspect)), (P["ts:quantity"], q)]
            if self.defect("measurement-untyped-entity"):
                po[0] = (P["ts:measuredEntity"], self.id(f"nothing-{m}"))
            self.statement(f"st-measure-{m}", ["ts:Measurement"], f"A figure for {aspect[7:]}", *po)

        # claims, designations, outsourcing
        holders = people + agencies + [state] + self.neighbours
        for c in range(rng.randint(10, 20)):
            po = [(P["ts:claimHolder"], rng.choice(holders)), (P["ts:claimKind"], iri("ts:" + rng.choice(CLAIM_KINDS))),
                  (P["ts:claimText"], lit(self.sentence(), "en"))]
            if self.defect("claim-no-holder"):
                po = po[1:]
            self.statement(f"claim-{c}", ["ts:Claim"], "A view on the security sector", *po)
        for g, grp in enumerate(groups):
            for d, designator in enumerate([state] + self.neighbours[:1]):
                po = [(P["ts:designator"], designator), (P["ts:designatedGroup"], grp),
                      (P["ts:designatedAs"], iri("ts:" + rng.choice(DESIGNATIONS))),
                      (P["ts:claimText"], lit(self.sentence(), "en"))]
                if self.defect("designation-group-not-organisation"):
                    po[1] = (P["ts:designatedGroup"], rng.choice(people))
                self.statement(f"designation-{g}-{d}", ["ts:Designation"], "A designation of a group", *po)
        for o in range(rng.randint(1, 3)):
            self.statement(f"outsourcing-{o}", ["ts:Outsourcing"], "An outsourced security function",
                           (P["ts:claimHolder"], rng.choice(people)),
                           (P["ts:outsourcedFunction"], iri("ts:" + rng.choice(FUNCTIONS))),
                           (P["ts:outsourcedTo"], rng.choice(agencies + self.neighbours)),
                           (P["ts:outsourcedBy"], state),
                           (P["ts:claimText"], lit(self.sentence(), "en")))

        # assistance and agreements with neighbours
        for k, donor in enumerate(self.neighbours):
            for a in range(rng.randint(1, 3)):
                po = [(P["ts:provider"], donor), (P["ts:recipient"], rng.choice([state] + agencies[:3])),
                      (P["ts:assistanceKind"], iri("ts:" + rng.choice(ASSIST))),
                      (P["ts:status"], iri("ts:" + rng.choice(STATUSES))),
                      (P["ts:quantity"], self.quantity(f"q-assist-{k}-{a}", "aspect-amount-of-money")),
                      (P["ts:validDuring"], self.interval(f"interval-assist-{k}-{a}"))]
                if rng.random() < 0.3:
                    po.append((P["ts:viaProgramme"], programme))
                if self.defect("assistance-no-status"):
                    po = [x for x in po if x[0] != P["ts:status"]]
                self.statement(f"assistance-{k}-{a}", ["ts:Assistance"], "Assistance from a neighbour", *po)
            agr = self.entity(f"agreement-{k}", ["ts:Agreement"], f"Agreement {k + 1} of {name}",
                              (P["ts:party"], state), (P["ts:party"], donor))
            for t in range(rng.randint(1, 3)):
                self.statement(f"agreement-{k}-term-{t}", ["ts:AgreementTerm"], "A term of an agreement",
                               (P["ts:agreement"], agr), (P["ts:termText"], lit(self.sentence(), "en")),
                               (P["ts:status"], iri("ts:" + rng.choice(STATUSES))))
        self.state = state


DEFECT_KINDS = ["statement-no-source", "statement-short-quote", "bad-wikidata", "label-not-tagged",
                "ill-typed-instant", "interval-reversed", "min-above-max", "quantity-no-unit",
                "relation-object-and-value", "section-number-zero", "date-published-as-text",
                "footnote-out-of-range", "tenure-no-member", "event-ill-typed-date", "event-start-after-end",
                "event-location-not-place", "measurement-untyped-entity", "claim-no-holder",
                "designation-group-not-organisation", "assistance-no-status"]


def countries(triples: int, seed: int = 42, defects: int = 0) -> Iterator[Writer]:
    """The data country by country: the same writer after each country, holding that country's
    blocks alone (its `triples` counts all so far), so that any size is made in bounded memory."""
    rng = random.Random(seed)
    w = Writer()
    states: list[str] = []
    n = 0
    budget = [DEFECT_KINDS[i % len(DEFECT_KINDS)] for i in range(defects)]
    while w.triples < triples:
        neighbours = rng.sample(states, min(len(states), 3)) if states else []
        # defects go in the first countries: each plants what it has occasion for, the rest
        # goes on to the next
        mine, budget = budget, []
        w.blocks = []
        c = Country(w, rng, n, neighbours, mine)
        c.generate()
        budget = c.defects + budget  # kinds this country had no occasion for go on to the next
        states.append(c.state)
        n += 1
        yield w
        if n > 100000:
            break


def generate(triples: int, seed: int = 42, defects: int = 0) -> Writer:
    whole = Writer()
    for w in countries(triples, seed, defects):
        whole.blocks.extend(w.blocks)
        whole.triples = w.triples
    return whole


def parse_size(text: str) -> int:
    t = text.strip().lower()
    mult = 1
    if t.endswith("k"):
        mult, t = 1000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1000000, t[:-1]
    return int(float(t) * mult)


def _compact(term: str, prefixes: dict[str, str]) -> str:
    if term.startswith("<"):
        full = term[1:-1]
        for p, ns in prefixes.items():
            if full.startswith(ns):
                local = full[len(ns):]
                if local and all(ch.isalnum() or ch in "-_" for ch in local) and not local.startswith("-"):
                    return f"{p}:{local}"
        return term
    if "^^<" in term:
        lex, dt = term.rsplit("^^", 1)
        return f"{lex}^^{_compact(dt, prefixes)}"
    return term


def serialise(w: Writer, fmt: str) -> bytes:
    out = []
    if fmt == "nt":
        for s, po in w.blocks:
            for p, o in po:
                out.append(f"{s} {p} {o} .\n")
        return "".join(out).encode("utf-8")
    for p, ns in PREFIXES.items():
        out.append(f"@prefix {p}: <{ns}> .\n")
    out.append("\n")
    for s, po in w.blocks:
        parts = []
        for p, o in po:
            pp = "a" if p == A else _compact(p, PREFIXES)
            parts.append(f"{pp} {_compact(o, PREFIXES)}")
        out.append(_compact(s, PREFIXES) + " " + " ;\n    ".join(parts) + " .\n\n")
    return "".join(out).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", default="10k", help="about how many triples (10k, 100k, 1m, 250000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--defects", type=int, default=0, help="plant this many defects (default: none)")
    ap.add_argument("--out", required=True, type=Path, help="output file, .nt or .ttl")
    args = ap.parse_args(argv)
    fmt = "nt" if args.out.suffix == ".nt" else "ttl"
    w = generate(parse_size(args.triples), args.seed, args.defects)
    write_atomic(args.out, serialise(w, fmt))
    print(f"{args.out}: {w.triples} triples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
