"""Generalization benchmark: chrilink on public cross-script names of real persons.

One command: ``python bench/generalization/run.py`` (a minute or two). It reads the
committed sample in ``bench/generalization/data/`` (public names; sources and licences in
README.md here) and:

1. builds a manifest (the Latin label as an MRZ ``SURNAME<<GIVEN<NAMES`` name, a
   synthetic date of birth as MRZ ``YYMMDD``) and a records file (the native-script
   label, the same date of birth with a little noise, in ISO or ``DD.MM.YYYY``), plus
   records of persons who do not travel and hard negatives: a record of another person
   of the same group with the traveler's exact date of birth (and sex and nationality),
   sharing the surname when the sample has such a person. Two variants go to
   ``out/generalization/{name_dob,all_fields}/`` with ``truth.csv``,
   ``hard_negatives.csv`` and ``job.toml`` (model ``models/default``): names and dates of
   birth only, and the same with agreeing synthetic sex and nationality;
2. runs ``chrilink evaluate`` and ``chrilink link`` on the job: overall and per-group
   precision, recall and F1 of hits;
3. measures name agreement directly on the standardized features: the share of true
   pairs, and of random pairs of the same group, whose names share a romanization key or
   a per-token code (key, skeleton, Metaphone, name-variant cluster), as in
   ``bench/measure_names.py``; for the Cyrillic and Arabic word lists also per word;
4. classifies the misses into failure patterns with examples.

Writes ``bench/results/generalization.json`` and ``docs/generalization.md``. The dates of
birth are synthetic, so recall measures name matching given agreeing dates; the name
agreement rates isolate transliteration on real names.
"""

from __future__ import annotations

import csv
import json
import random
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.schema import MANIFEST_FIELDS, RECORD_FIELDS
from pipeline.standardize import standardize

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
OUT = ROOT / "out" / "generalization"
RESULTS = ROOT / "bench" / "results" / "generalization.json"
DOC = ROOT / "docs" / "generalization.md"
CHRILINK = Path(sys.executable).with_name("chrilink")
SEED = 6
TRAVEL_SHARE = 0.6  # of each group's persons travel; the others only have a record
HARD_SHARE = 0.3  # of travelers get a same-date-of-birth record of another person
DATE_NOISE = (
    ("exact", 0.85),
    ("day_off_by_one", 0.05),
    ("day_month_swap", 0.05),
    ("year_only", 0.05),
)
EXAMPLES = 12
NATIONALITIES = ("USA", "GBR", "FRA", "DEU", "ISR", "KOR", "JPN", "CHN", "RUS", "EGY", "ITA")
#: Variants: names and dates of birth only, and the same with agreeing (synthetic) sex and
#: nationality on both sides, as a passport and most conviction records carry them.
VARIANTS = {"name_dob": False, "all_fields": True}

GROUP_ORDER = (
    "Cyrillic (tokens)",
    "Arabic (tokens)",
    "Hebrew",
    "Hangul",
    "Han (Chinese person)",
    "Han (foreign name)",
    "Han (Japanese person)",
    "Japanese kanji",
    "Katakana",
    "Katakana (unspaced)",
)
NOT_COVERED = (
    "Greek, Persian, Devanagari, Bengali, Georgian, Armenian and Thai: no person-level "
    "native/Latin pairs with a redistributable licence could be fetched here (no general "
    "internet; only files readable through the code index, PyPI, npm and Debian)."
)


@dataclass(frozen=True)
class Person:
    pid: str
    group: str
    source: str
    latin: str
    native: str
    family_first: bool
    dob: date
    sex: str
    nationality: str


# --- sample ---------------------------------------------------------------------------


def _read_sample(rng: random.Random) -> list[Person]:
    rows: list[dict[str, str]] = []
    for name in ("wikidata_persons", "cedict_persons", "enamdict_persons"):
        with (DATA / f"{name}.csv").open(encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    with (DATA / "wikidata_tokens.csv").open(encoding="utf-8") as handle:
        tokens = list(csv.DictReader(handle))
    by_group: dict[str, list[dict[str, str]]] = defaultdict(list)
    for token in tokens:
        by_group[token["group"]].append(token)
    for group_tokens in by_group.values():
        # persons composed of two real words of the list (given name + family name)
        rng.shuffle(group_tokens)
        for first, second in zip(group_tokens[::2], group_tokens[1::2], strict=False):
            rows.append(
                {
                    "source": "wikidata",
                    "group": first["group"],
                    "latin": f"{first['latin'].title()} {second['latin'].title()}",
                    "native": f"{first['native']} {second['native']}",
                    "family_first": "false",
                }
            )
    start = date(1940, 1, 1)
    persons = []
    for index, row in enumerate(rows):
        dob = start + timedelta(days=rng.randrange(365 * 65))
        sex, nationality = rng.choice("MF"), rng.choice(NATIONALITIES)
        persons.append(
            Person(
                pid=f"P{index:05d}",
                group=row["group"],
                source=row["source"],
                latin=row["latin"],
                native=row["native"],
                family_first=row["family_first"] == "true",
                dob=dob,
                sex=sex,
                nationality=nationality,
            )
        )
    return persons


# --- inputs ---------------------------------------------------------------------------

_MRZ_SPECIAL = {"ß": "SS", "Ø": "OE", "ø": "OE", "Æ": "AE", "æ": "AE", "Œ": "OE", "œ": "OE"}
_MRZ_SPECIAL |= {"Þ": "TH", "þ": "TH", "Đ": "D", "đ": "D", "Ł": "L", "ł": "L", "ı": "I"}


def mrz_token(text: str, japanese: bool) -> str:
    """ICAO-style A-Z spelling of one name token (diacritics folded, hyphen as filler)."""
    text = "".join(_MRZ_SPECIAL.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).upper()
    if japanese:  # passport Hepburn writes no long vowels: SHINZOU -> SHINZO, YUUKI -> YUKI
        text = re.sub(r"(?<=[A-Z])(OU|OO|UU)(?![AEIOU])", lambda m: m.group(0)[0], text)
    text = re.sub(r"[-\s]+", "<", text)
    return re.sub(r"[^A-Z<]", "", text)


def mrz_name(person: Person) -> str:
    japanese = person.group in ("Japanese kanji", "Han (Japanese person)")
    tokens = [mrz_token(t, japanese) for t in person.latin.replace(".", " ").split()]
    tokens = [t for t in tokens if t]
    family, given = (tokens[0], tokens[1:]) if person.family_first else (tokens[-1], tokens[:-1])
    return f"{family}<<{'<'.join(given)}"


def _surname(person: Person) -> str:
    tokens = person.latin.split()
    return (tokens[0] if person.family_first else tokens[-1]).lower()


def _record_dob(dob: date, rng: random.Random) -> tuple[str, str]:
    roll, noise = rng.random(), "exact"
    for name, share in DATE_NOISE:
        if roll < share:
            noise = name
            break
        roll -= share
    if noise == "day_off_by_one":
        dob = dob + timedelta(days=rng.choice((-1, 1)))
    if noise == "day_month_swap" and dob.day <= 12 and dob.day != dob.month:
        dob = date(dob.year, dob.day, dob.month)
    if noise == "year_only":
        return str(dob.year), noise
    text = dob.isoformat() if rng.random() < 0.5 else dob.strftime("%d.%m.%Y")
    return text, noise


def build_inputs(persons: list[Person], rng: random.Random) -> dict[str, Any]:
    by_group: dict[str, list[Person]] = defaultdict(list)
    for person in persons:
        by_group[person.group].append(person)
    manifests: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    truth: list[dict[str, str]] = []
    hard: list[dict[str, str]] = []
    travelers: dict[str, Person] = {}

    def add_record(person: Person, dob_text: str, like: Person | None = None) -> str:
        """A record of ``person``; a hard negative copies sex and nationality of ``like``."""
        fields = like or person
        record_id = f"R{len(records):06d}"
        records.append(
            {"record_id": record_id, "subject_id": person.pid, "full_name": person.native}
            | {"date_of_birth": dob_text, "source_agency": person.source}
            | {"sex": fields.sex, "nationality": fields.nationality}
        )
        return record_id

    for group in sorted(by_group):
        members = by_group[group][:]
        rng.shuffle(members)
        n_travel = round(len(members) * TRAVEL_SHARE)
        surnames: dict[str, list[Person]] = defaultdict(list)
        for person in members:
            surnames[_surname(person)].append(person)
        for index, person in enumerate(members):
            dob_text, noise = _record_dob(person.dob, rng)
            record_id = add_record(person, dob_text)
            if index >= n_travel:
                continue
            traveler_id = f"T{len(manifests):06d}"
            travelers[traveler_id] = person
            manifests.append(
                {"traveler_id": traveler_id, "full_name": mrz_name(person)}
                | {"date_of_birth": person.dob.strftime("%y%m%d")}
                | {"sex": person.sex, "nationality": person.nationality}
            )
            truth.append(
                {"traveler_id": traveler_id, "record_id": record_id, "script": group}
                | {"origin": person.source, "dob_noise": noise}
            )
            if rng.random() < HARD_SHARE:
                namesakes = [p for p in surnames[_surname(person)] if p.pid != person.pid]
                other = rng.choice(namesakes or [p for p in members if p.pid != person.pid])
                hard_id = add_record(other, person.dob.isoformat(), like=person)
                kind = "same_dob_same_surname" if namesakes else "same_dob_other_person"
                hard.append({"traveler_id": traveler_id, "record_id": hard_id, "kind": kind})
    return {
        "manifests": manifests,
        "records": records,
        "truth": truth,
        "hard": hard,
        "travelers": travelers,
    }


def _frame(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> pl.DataFrame:
    columns: dict[str, Any] = {}
    for field in fields:
        if field in ("aliases", "alternate_dobs"):
            columns[field] = pl.Series(field, [[] for _ in rows], dtype=pl.List(pl.String))
        else:
            columns[field] = pl.Series(field, [r.get(field) for r in rows], dtype=pl.String)
    return pl.DataFrame(columns)


def write_inputs(built: dict[str, Any], variant: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Write the variant's inputs, truth and job to ``out/generalization/<variant>/``."""
    target = OUT / variant
    target.mkdir(parents=True, exist_ok=True)
    manifests = _frame(built["manifests"], MANIFEST_FIELDS)
    records = _frame(built["records"], RECORD_FIELDS)
    if not VARIANTS[variant]:
        manifests = manifests.with_columns(
            pl.lit(None, pl.String).alias(c) for c in ("sex", "nationality")
        )
        records = records.with_columns(
            pl.lit(None, pl.String).alias(c) for c in ("sex", "nationality")
        )
    manifests.write_parquet(target / "manifests.parquet")
    records.write_parquet(target / "records.parquet")
    columns = ["full_name", "date_of_birth", "sex", "nationality"]
    manifests.select("traveler_id", *columns).write_csv(target / "manifests.csv")
    records.select("record_id", "subject_id", *columns).write_csv(target / "records.csv")
    pl.DataFrame(built["truth"]).write_csv(target / "truth.csv")
    pl.DataFrame(built["hard"]).write_csv(target / "hard_negatives.csv")
    (target / "job.toml").write_text(
        "# Generalization benchmark (bench/generalization/run.py); paths relative to this file.\n"
        'purpose = "border_screening"\n\n[manifests]\npath = "manifests.parquet"\n\n'
        '[records]\npath = "records.parquet"\n\n[model]\npath = "../../../models/default"\n\n'
        '[output]\ndir = "run"\n'
    )
    return manifests, records


# --- matching -------------------------------------------------------------------------


def _chrilink(*args: str) -> None:
    subprocess.run([str(CHRILINK), *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def match_metrics(built: dict[str, Any], variant: str) -> dict[str, Any]:
    job, truth = OUT / variant / "job.toml", OUT / variant / "truth.csv"
    _chrilink("evaluate", "--job", str(job), "--truth", str(truth))
    evaluation = json.loads((OUT / variant / "run-evaluation" / "evaluation.json").read_text())
    _chrilink("link", "--job", str(job))
    matches = pl.read_parquet(OUT / variant / "run" / "matches.parquet")
    hits = {
        (t, r)
        for t, r, d in matches.select("traveler_id", "record_id", "decision").iter_rows()
        if d == "hit"
    }
    candidates = set(matches.select("traveler_id", "record_id").iter_rows())
    group_of = {t: p.group for t, p in built["travelers"].items()}
    true_pairs = {(row["traveler_id"], row["record_id"]) for row in built["truth"]}
    per_group: dict[str, dict[str, Any]] = {}
    for group in GROUP_ORDER:
        g_true = {p for p in true_pairs if group_of[p[0]] == group}
        g_hits = {p for p in hits if group_of[p[0]] == group}
        g_hard = [h for h in built["hard"] if group_of[h["traveler_id"]] == group]
        hard_hits = sum((h["traveler_id"], h["record_id"]) in hits for h in g_hard)
        per_group[group] = _prf(len(g_true & g_hits), len(g_hits - g_true), len(g_true - g_hits))
        per_group[group] |= {
            "travelers": len(g_true),
            "recall_hit_or_review": len(g_true & candidates) / len(g_true) if g_true else 0.0,
            "hard_negatives": len(g_hard),
            "hard_negative_hit_rate": hard_hits / len(g_hard) if g_hard else 0.0,
        }
    overall = _prf(len(true_pairs & hits), len(hits - true_pairs), len(true_pairs - hits))
    return {
        "overall": overall,
        "evaluate": {
            key: evaluation[key]
            for key in ("at_model_thresholds", "recall_with_review", "best", "blocking")
        },
        "per_group": per_group,
        "hits": hits,
        "candidates": candidates,
    }


# --- name agreement -------------------------------------------------------------------


def _name_sets(features: pl.DataFrame) -> dict[str, tuple[list[str], set[str], set[str]]]:
    out: dict[str, tuple[list[str], set[str], set[str]]] = {}
    for row in features.select(
        "source_id", "name_tokens", "name_keys", "name_token_codes"
    ).iter_rows():
        source_id, tokens, keys, codes = row
        flat = {code for token_codes in codes or [] for code in token_codes}
        previous = out.get(source_id)
        if previous is None:
            out[source_id] = (list(tokens or []), set(keys or []), flat)
        else:  # aliases: union (none are written here, kept for safety)
            out[source_id] = (previous[0], previous[1] | set(keys or []), previous[2] | flat)
    return out


def agreement(
    pairs: list[tuple[str, str, str]],
    randoms: list[tuple[str, str, str]],
    left: dict[str, tuple[list[str], set[str], set[str]]],
    right: dict[str, tuple[list[str], set[str], set[str]]],
) -> dict[str, dict[str, float | int]]:
    table: dict[str, dict[str, float | int]] = {}
    for kind, rows in (("true", pairs), ("random", randoms)):
        grouped: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        for group, l_id, r_id in rows:
            _, l_keys, l_codes = left[l_id]
            _, r_keys, r_codes = right[r_id]
            grouped[group].append((bool(l_keys & r_keys), bool(l_codes & r_codes)))
        for group, flags in grouped.items():
            entry = table.setdefault(group, {})
            entry[f"{kind}_pairs"] = len(flags)
            entry[f"{kind}_share_key"] = sum(k for k, _ in flags) / len(flags)
            entry[f"{kind}_share_code"] = sum(c for _, c in flags) / len(flags)
    return table


def _random_same_group(
    truth: list[dict[str, str]], rng: random.Random
) -> list[tuple[str, str, str]]:
    records_by_group: dict[str, list[str]] = defaultdict(list)
    for row in truth:
        records_by_group[row["script"]].append(row["record_id"])
    out = []
    for row in truth:
        choices = records_by_group[row["script"]]
        other = rng.choice(choices)
        if other != row["record_id"]:
            out.append((row["script"], row["traveler_id"], other))
    return out


def token_agreement(rng: random.Random) -> dict[str, dict[str, float | int]]:
    """Per word of the Cyrillic and Arabic lists: Latin word alone vs native word alone."""
    with (DATA / "wikidata_tokens.csv").open(encoding="utf-8") as handle:
        tokens = list(csv.DictReader(handle))
    manifests = _frame(
        [
            {"traveler_id": f"W{i}", "full_name": mrz_token(t["latin"], False)}
            for i, t in enumerate(tokens)
        ],
        MANIFEST_FIELDS,
    )
    records = _frame(
        [{"record_id": f"W{i}", "full_name": t["native"]} for i, t in enumerate(tokens)],
        RECORD_FIELDS,
    )
    left = _name_sets(standardize(manifests, "manifests"))
    right = _name_sets(standardize(records, "records"))
    groups = [t["group"].replace("(tokens)", "(single words)") for t in tokens]
    pairs = [(g, f"W{i}", f"W{i}") for i, g in enumerate(groups)]
    by_group: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by_group[g].append(i)
    randoms = []
    for i, g in enumerate(groups):
        j = rng.choice(by_group[g])
        if j != i:
            randoms.append((g, f"W{i}", f"W{j}"))
    return agreement(pairs, randoms, left, right)


# --- failure patterns -----------------------------------------------------------------

_VOWELS = re.compile(r"[AEIOUY]")


def _skeleton(token: str) -> str:
    return re.sub(r"(.)\1+", r"\1", _VOWELS.sub("", token.replace("W", "V")))


def failure_pattern(
    group: str, latin: str, native: str, m_tokens: list[str], r_tokens: list[str]
) -> str:
    """The most likely reason a true pair shares no name code (heuristic, first rule wins)."""
    m_set, r_set = set(m_tokens), set(r_tokens)
    if not r_tokens:
        return "record name empty after standardization"
    if group in ("Japanese kanji", "Han (Japanese person)"):
        return "Japanese name in kanji read as Mandarin pinyin"
    if group == "Han (foreign name)":
        return "foreign name in Chinese characters read syllable by syllable as pinyin"
    if len(r_tokens) < len(m_tokens) and len(native.split()) == 1 and "・" not in native:
        return "names run together in the native label (no word boundary)"
    if group.startswith("Katakana"):
        if any("L" in t for t in m_tokens) and any("R" in t for t in r_tokens):
            return "katakana: L and R are one sound (L written R), plus vowels added"
        return "katakana: vowels added after consonants / long vowels (e.g. -TO, -RU, -U)"
    if group == "Hangul":
        if any("EU" in t for t in r_tokens):
            return "Hangul transcription: epenthetic vowel EU (ㅡ) added after consonants"
        return "Hangul transcription: vowel/consonant shifts (EO, AE, F->P, V->B, L/R)"
    if group == "Hebrew":
        if any(t.startswith(("V", "O", "U")) for t in r_tokens) or "ו" in native:
            return "Hebrew: vowels unwritten, ו read as V (or O/U) and י as Y/I"
        return "Hebrew: vowels unwritten (consonant skeleton differs)"
    if group.startswith("Arabic"):
        if any(t.startswith("AL") for t in r_tokens):
            return "Arabic: article al- attached, vowels unwritten"
        return "Arabic: vowels unwritten / letter ambiguity (و ي as vowels or W/Y)"
    if group.startswith("Cyrillic"):
        if not {_skeleton(t) for t in m_set} & {_skeleton(t) for t in r_set}:
            return (
                "Cyrillic: different name in the source (misaligned word) "
                "or Polivanov (Japanese) spelling"
            )
        return "Cyrillic: spelling variant not folded"
    if group == "Han (Chinese person)":
        return "Chinese characters: polyphonic character read differently"
    return "other"


def analyse(
    built: dict[str, Any],
    matching: dict[str, Any],
    left: dict[str, tuple[list[str], set[str], set[str]]],
    right: dict[str, tuple[list[str], set[str], set[str]]],
    rng: random.Random,
) -> dict[str, Any]:
    patterns: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    miss_kinds: dict[str, Counter[str]] = defaultdict(Counter)
    rows = []
    truth = built["truth"][:]
    rng.shuffle(truth)
    for row in truth:
        person: Person = built["travelers"][row["traveler_id"]]
        pair = (row["traveler_id"], row["record_id"])
        if pair in matching["hits"]:
            continue
        m_tokens, _, m_codes = left[row["traveler_id"]]
        r_tokens, _, r_codes = right[row["record_id"]]
        if not m_codes & r_codes:
            kind = "no shared name code"
            pattern = failure_pattern(person.group, person.latin, person.native, m_tokens, r_tokens)
        elif row["dob_noise"] != "exact":
            kind, pattern = (
                "names share a code, date of birth noisy",
                "synthetic date noise on the record",
            )
        elif pair in matching["candidates"]:
            kind, pattern = "names share a code, scored in the review band", "weak name evidence"
        else:
            kind, pattern = "names share a code, below the review threshold", "weak name evidence"
        miss_kinds[person.group][kind] += 1
        patterns[person.group][pattern] += 1
        text = f"{person.latin} / {person.native} -> {' '.join(r_tokens)} (vs {' '.join(m_tokens)})"
        if len(examples[person.group][pattern]) < EXAMPLES // 2:
            examples[person.group][pattern].append(text)
        rows.append(
            {"group": person.group, "kind": kind, "pattern": pattern, "latin": person.latin}
            | {"native": person.native, "record_tokens": " ".join(r_tokens)}
            | {"manifest_tokens": " ".join(m_tokens), "dob_noise": row["dob_noise"]}
        )
    pl.DataFrame(rows).write_csv(OUT / "all_fields" / "misses.csv")
    return {
        group: {
            "misses": sum(miss_kinds[group].values()),
            "by_kind": dict(miss_kinds[group].most_common()),
            "patterns": dict(patterns[group].most_common()),
            "examples": {k: v for k, v in examples[group].items()},
        }
        for group in GROUP_ORDER
        if group in patterns
    }


# --- report ---------------------------------------------------------------------------


def _markdown(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    lines = [
        "# Generalization on public cross-script names",
        "",
        "Reproduce with `python bench/generalization/run.py` (about a minute); numbers below "
        "are written by that script to `bench/results/generalization.json`. Data, sources "
        "and licences: `bench/generalization/README.md`.",
        "",
        "**What is measured.** Real persons' names from public dictionaries and Wikidata: "
        "the Latin/English label becomes an MRZ name on the manifest, the native-script "
        "label the name on the conviction record. Dates of birth are synthetic (the same "
        "date on both sides, with noise on 15% of records: a day off by one, day and month "
        "swapped, or year only), so recall measures name matching given agreeing dates. "
        f"{int(TRAVEL_SHARE * 100)}% of each group's persons travel; the others only have "
        f"a record. {int(HARD_SHARE * 100)}% of travelers also get a hard negative: a record "
        "of another person of the same group with the traveler's exact date of birth, "
        "sharing the surname when the sample has one. Model: `models/default`, thresholds "
        "as committed.",
        "",
    ]
    titles = {
        "name_dob": "names and dates of birth only",
        "all_fields": "plus agreeing sex and nationality (synthetic)",
    }
    for variant, matching in results["matching"].items():
        lines += [
            f"## Matching, {titles[variant]} (hits at the model's thresholds)",
            "",
            "| group | travelers | records | precision | recall | F1 | recall hit+review | "
            "hard negatives | hard-negative hit rate |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for group, m in matching["per_group"].items():
            lines.append(
                f"| {group} | {m['travelers']} | {sizes[group]['records']} | "
                f"{m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                f"{m['recall_hit_or_review']:.3f} | {m['hard_negatives']} | "
                f"{m['hard_negative_hit_rate']:.3f} |"
            )
        o, ev = matching["overall"], matching["evaluate"]
        lines.append(
            f"| **all** | {o['tp'] + o['fn']} | {sum(s['records'] for s in sizes.values())} | "
            f"**{o['precision']:.3f}** | **{o['recall']:.3f}** | **{o['f1']:.3f}** | "
            f"{ev['recall_with_review']:.3f} | | |"
        )
        at = ev["at_model_thresholds"]
        lines += [
            "",
            f"`chrilink evaluate --job out/generalization/{variant}/job.toml --truth "
            f"out/generalization/{variant}/truth.csv`: precision {at['precision']:.4f}, recall "
            f"{at['recall']:.4f}, F1 {at['f1']:.4f} at hit threshold {at['threshold']:.3f}; "
            f"best F1 {ev['best']['f1']:.4f} at {ev['best']['threshold']:.3f}; blocking recall "
            f"{ev['blocking']['blocking_recall']:.4f}, "
            f"{ev['blocking']['candidates_per_traveler']:.2f} candidates per traveler.",
            "",
        ]
    lines += [
        "## Name agreement (transliteration alone)",
        "",
        "Share of true pairs, and of random pairs of the same group, whose standardized names "
        "share at least one romanization key (`key`) or at least one per-token code "
        "(`code`: key, consonant skeleton, Metaphone or name-variant cluster).",
        "",
        "| group | true pairs | true: key | true: code | random: key | random: code |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for group, a in results["name_agreement"].items():
        lines.append(
            f"| {group} | {a['true_pairs']} | {a['true_share_key']:.3f} | "
            f"{a['true_share_code']:.3f} | {a.get('random_share_key', 0):.3f} | "
            f"{a.get('random_share_code', 0):.3f} |"
        )
    lines += ["", "## Misses by failure pattern", ""]
    lines.append(
        "Every true pair without a hit, classified by `failure_pattern` in `run.py` "
        "(heuristic: the first matching rule wins). `weak name evidence` means the names "
        "share a code but the score stays below the hit threshold. Full list: "
        "`out/generalization/misses.csv`."
    )
    for group, a in results["misses"].items():
        lines += ["", f"### {group}: {a['misses']} misses", ""]
        for pattern, count in a["patterns"].items():
            lines.append(f"- {pattern}: {count}")
            for example in a["examples"].get(pattern, [])[:4]:
                lines.append(f"  - `{example}`")
    analysis = HERE / "analysis.md"
    if analysis.exists():
        lines += ["", analysis.read_text().strip()]
    lines += ["", "## Not covered", "", NOT_COVERED, ""]
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    rng = random.Random(SEED)
    persons = _read_sample(rng)
    built = build_inputs(persons, rng)
    matching = {}
    for variant in VARIANTS:
        manifests, records = write_inputs(built, variant)
        matching[variant] = match_metrics(built, variant)
    left = _name_sets(standardize(manifests, "manifests"))
    right = _name_sets(standardize(records, "records"))
    pairs = [(r["script"], r["traveler_id"], r["record_id"]) for r in built["truth"]]
    names = agreement(pairs, _random_same_group(built["truth"], rng), left, right)
    names |= token_agreement(rng)
    sizes = {
        group: {
            "persons": sum(p.group == group for p in persons),
            "records": sum(
                1 for r in built["records"] if persons[int(r["subject_id"][1:])].group == group
            ),
        }
        for group in GROUP_ORDER
    }
    results = {
        "command": "python bench/generalization/run.py",
        "model": "models/default",
        "seed": SEED,
        "sizes": sizes,
        "matching": {
            variant: {k: v for k, v in m.items() if k not in ("hits", "candidates")}
            for variant, m in matching.items()
        },
        "name_agreement": {g: names[g] for g in sorted(names, key=_group_key)},
        "misses": analyse(built, matching["all_fields"], left, right, rng),
        "not_covered": NOT_COVERED,
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    DOC.write_text(_markdown(results))
    for variant, m in results["matching"].items():
        o = m["overall"]
        print(
            f"{variant}: precision {o['precision']:.3f} recall {o['recall']:.3f} F1 {o['f1']:.3f}"
        )
    print(f"{results['seconds']} s; wrote {RESULTS.relative_to(ROOT)} and {DOC.relative_to(ROOT)}")


def _group_key(group: str) -> tuple[int, str]:
    base = group.replace("(single words)", "(tokens)")
    return (GROUP_ORDER.index(base) if base in GROUP_ORDER else 99, group)


if __name__ == "__main__":
    main()
