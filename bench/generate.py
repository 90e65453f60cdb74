"""A realistic synthetic dataset: 200,000 recommendations over 193 states and 4 UPR cycles, plus
PACE texts and execution cases. Deterministic for a seed.

Calibrated on the corpus (../shared/corpus truth files): recommendation texts average ~150
characters (median 137, up to ~800), 1.15 recommending states per recommendation; positions
~70 % supported, ~25 % noted, the rest pending; about 260 recommendations per review.

    python bench/generate.py --count 200000 --out /tmp/recwatch-200k.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scrapers.countries import all_states  # noqa: E402
from scrapers.records import (DocumentKind, Mechanism, ParsedDocument, Position,  # noqa: E402
                              ScrapedDocument, ScrapedRecommendation, upr_recommendation)

VERBS = ["Ratify", "Ensure", "Strengthen", "Adopt", "Continue", "Take measures to", "Establish", "Guarantee",
         "Consider ratifying", "Combat", "Promote", "Investigate", "Abolish", "Protect", "Release", "Repeal"]
OBJECTS = ["the Optional Protocol to the Convention against Torture", "freedom of expression and of the media",
           "the independence of the judiciary", "a national human rights institution in line with the Paris Principles",
           "violence against women and domestic violence", "the rights of persons with disabilities",
           "access to education for all children", "trafficking in persons", "the death penalty",
           "human rights defenders and journalists", "freedom of peaceful assembly and of association",
           "discrimination against minorities", "birth registration free of charge", "prison conditions",
           "the International Convention for the Protection of All Persons from Enforced Disappearance",
           "corruption in the public administration", "child labour", "the rights of migrants and refugees"]
TAILS = ["", " in law and in practice", ", including by allocating sufficient resources",
         ", in cooperation with civil society", " and bring perpetrators to justice",
         " and ensure effective remedies for victims", ", in line with its international obligations"]
THEMES = ["Equality & non-discrimination", "Women's rights", "Rights of the Child", "Freedom of opinion and expression",
          "Torture and other CID treatment", "Administration of justice & fair trial", "Human rights defenders",
          "Acceptance of international norms", "National Human Rights Institution", "Right to education",
          "Trafficking in persons", "Death penalty", "Migrants", "Persons with disabilities", "Corruption"]
SDGS = ["5 - GENDER EQUALITY", "16 - PEACE, JUSTICE AND STRONG INSTITUTIONS", "4 - QUALITY EDUCATION",
        "10 - REDUCED INEQUALITIES", "8 - DECENT WORK AND ECONOMIC GROWTH"]
CYCLE_START = {1: date(2008, 4, 7), 2: date(2012, 5, 21), 3: date(2017, 5, 1), 4: date(2022, 11, 7)}


def _text(rng: random.Random) -> str:
    parts = [f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"]
    while rng.random() < 0.35:
        parts.append(f"{rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}")
    return "; ".join(parts) if rng.random() < 0.3 else " and ".join(parts)


def _position(rng: random.Random) -> Position:
    roll = rng.random()
    return Position.SUPPORTED if roll < 0.70 else Position.NOTED if roll < 0.95 else Position.PENDING


def _document(kind: DocumentKind, mechanism: Mechanism, symbol: str, state: str | None, cycle: int | None,
              published: date, seed: int) -> ScrapedDocument:
    digest = hashlib.sha256(f"{seed}:{symbol}".encode()).hexdigest()
    return ScrapedDocument(mechanism=mechanism, kind=kind, symbol=symbol, title=f"Synthetic {symbol}",
                           state_under_review=state, cycle=cycle, published_on=published,
                           source_url=f"https://example.org/{symbol}", content_type="application/pdf",
                           sha256=digest, size=100_000, parser="bench", parser_version="1")


def generate(count: int = 200_000, seed: int = 7) -> Iterator[ParsedDocument]:
    """UPR reviews (about 95 % of the records), then PACE texts and execution cases."""
    rng = random.Random(seed)
    states = [s.iso3 for s in all_states() if s.iso3 not in ("VAT", "PSE")][:193]
    coe = [s.iso3 for s in all_states() if s.coe_member]
    upr_total = int(count * 0.95)
    per_review = max(1, upr_total // (len(states) * 4))
    made = 0
    for cycle in (1, 2, 3, 4):
        for i, state in enumerate(states):
            n = per_review if made + per_review <= upr_total else upr_total - made
            if n <= 0:
                break
            published = CYCLE_START[cycle] + timedelta(days=(i * 3) % 900)
            symbol = f"A/HRC/{7 + cycle * 14}/{i + 1}"
            doc = _document(DocumentKind.WG_REPORT, Mechanism.UPR, symbol, state, cycle, published, seed)
            para = 90 + cycle * 10
            recs = [upr_recommendation(
                state, cycle, f"{para}.{j + 1}", text=_text(rng),
                recommending_states=rng.sample(states, 2 if rng.random() < 0.15 else 1),
                position=(position := _position(rng)), position_wording=f"wording: {position.value}",
                source_url=doc.source_url, evidence=f"{symbol} para. {para}",
                themes=rng.sample(THEMES, rng.randint(1, 3)), sdgs=rng.sample(SDGS, rng.randint(0, 2)))
                for j in range(n)]
            made += n
            yield ParsedDocument(document=doc, recommendations=recs)
    rest = count - made
    for t in range(rest // 10 + (1 if rest % 10 else 0)):
        state = coe[t % len(coe)]
        mechanism = Mechanism.PACE if t % 2 == 0 else Mechanism.COE_EXEC
        ref = f"res-{2000 + t}-20{10 + t % 15}" if mechanism == Mechanism.PACE else f"004-{10000 + t}"
        doc = _document(DocumentKind.PACE_TEXT if mechanism == Mechanism.PACE else DocumentKind.EXEC_RECORD,
                        mechanism, ref, state, None, date(2015, 1, 1) + timedelta(days=t), seed)
        n = min(10, count - made)
        recs = [ScrapedRecommendation(
            key=f"{mechanism.value}/{state}/{ref}/{k + 1}", mechanism=mechanism, state=state,
            paragraph=str(k + 1), text=_text(rng), position=Position.PENDING,
            position_wording="calls on the authorities", source_url=doc.source_url) for k in range(n)]
        made += n
        if recs:
            yield ParsedDocument(document=doc, recommendations=recs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="JSON Lines (gzip if it ends in .gz)")
    args = parser.parse_args()
    opener = gzip.open if args.out.suffix == ".gz" else open
    n_docs = n_recs = 0
    with opener(args.out, "wt", encoding="utf-8") as fh:
        for parsed in generate(args.count, args.seed):
            fh.write(parsed.model_dump_json() + "\n")
            n_docs += 1
            n_recs += len(parsed.recommendations)
    print(f"{n_recs} recommendations in {n_docs} documents written to {args.out}")


if __name__ == "__main__":
    main()
