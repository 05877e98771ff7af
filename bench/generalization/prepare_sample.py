"""Rebuild the committed public-name sample in ``bench/generalization/data/``.

Not needed to run the benchmark (``run.py`` reads the committed CSV files); this script
documents, and repeats, how they were cut from the public sources (see README.md here
for where each source comes from and its licence):

    python bench/generalization/prepare_sample.py \
        --enamdict /usr/share/edict/enamdict \
        --cedict cedict_1_0_ts_utf-8_mdbg.txt.gz \
        --wikidata-persons he=wd_hebrew ko=wd_korean \
        --wikidata-tokens ru=wd_russian_20 ar=wd_arabic.normalized.aligned.tokens

Persons are kept when both labels look like a personal name: two to four Latin tokens
made of letters (hyphen, apostrophe and initials allowed), no regnal numbers, titles or
"of" phrases, and a native label without digits or commas. Samples are drawn with a
fixed seed. The Wikidata files were taken from the first 16,000 characters of each
file of the NETransliteration-COLING2018 data (see README.md); both the original
tab-separated layout and a ``latin|native`` layout are read.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import icu

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SEED = 20260301
MAX_KANJI = 2500
FIELDS = ("source", "group", "source_key", "latin", "native", "family_first")

KATAKANA = re.compile(r"^[\u30A0-\u30FF]+$")
HAN = re.compile(r"[\u3400-\u9fff]")
ENAMDICT_LINE = re.compile(r"^(\S+)(?: \[(\S+)\])? /\(h\) ([^/]+)/")
CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]+)\] /(.+)/$")
CEDICT_PERSON = re.compile(r"^([A-Z][^(/;]+?) \((?:c\. ?)?\d{3,4}\s*-\s*(?:c\. ?)?\d{0,4}\)")
LATIN_TOKEN = re.compile(r"^(?:[^\W\d_]\.|[^\W\d_]+(?:[-'’][^\W\d_]+)*)$")
ROMAN = re.compile(r"^[IVXL]+$")
STOP = {
    "of", "the", "von der", "emperor", "king", "queen", "prince", "princess", "pope",
    "saint", "sir", "lord", "duke", "duchess", "count", "jr", "jr.", "sr", "sr.", "khan",
    "sultan", "shah", "caliph", "imam", "sheikh", "lady", "mr", "dr", "st", "st.",
    "general", "president", "admiral", "marshal", "bishop", "cardinal", "chairman",
}  # fmt: skip


def latin_name_ok(name: str) -> bool:
    """Two to four letter tokens, no regnal numbers, titles or 'of' phrases."""
    if "," in name or any(ch.isdigit() for ch in name):
        return False
    tokens = name.split()
    if not 2 <= len(tokens) <= 4:
        return False
    if any(ROMAN.match(t) or t.lower() in STOP for t in tokens):
        return False
    return all(LATIN_TOKEN.match(t) for t in tokens) and sum(len(t) > 2 for t in tokens) >= 1


def native_name_ok(name: str) -> bool:
    return bool(name) and not any(ch.isdigit() or ch in ",()" for ch in name)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if ch.isalpha() and not unicodedata.combining(ch))


_HIRAGANA = icu.Transliterator.createInstance("Hiragana-Latin; Latin-ASCII")


def _reading_matches(reading: str, romaji: str) -> bool:
    """ENAMDICT romaji spells the kana reading (long vowels aside): a Japanese reading."""
    spelled = _fold(_HIRAGANA.transliterate(reading)).replace("~", "")

    def norm(text: str) -> str:
        for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i")):
            text = text.replace(long, short)
        return text.replace("nn", "n").replace("m", "n")

    return norm(spelled) == norm(_fold(romaji))


def enamdict_rows(path: Path, rng: random.Random) -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the Debian package ships the EUC-JP original
        text = raw.decode("euc_jp", errors="replace")
    kanji: list[dict[str, str]] = []
    katakana: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        match = ENAMDICT_LINE.match(line)
        if not match:
            continue
        word, reading, gloss = match.groups()
        name = re.sub(r"\s*\(.*$", "", gloss).strip()
        if not latin_name_ok(name):
            continue
        if KATAKANA.match(word.replace("・", "")):
            # one spelling per person, preferring the one with the ・ word separator
            previous = katakana.get(name)
            if previous is None or ("・" in word and "・" not in previous["native"]):
                katakana[name] = {
                    "source": "enamdict",
                    "group": "Katakana" if "・" in word else "Katakana (unspaced)",
                    "source_key": word,
                    "latin": name,
                    "native": word,
                    "family_first": "false",
                }
        elif (
            reading
            and HAN.search(word)
            and native_name_ok(word)
            and len(name.split()) == 2
            and _reading_matches(reading, name)
        ):
            kanji.append(
                {
                    "source": "enamdict",
                    "group": "Japanese kanji",
                    "source_key": f"{word}[{reading}]",
                    "latin": name,
                    "native": word,
                    # ENAMDICT mostly writes family name first ("Aihara Tomoko");
                    # a macron marks the Wikipedia-style given-first entries
                    "family_first": "false" if re.search("[āīūēō]", name) else "true",
                }
            )
    rng.shuffle(kanji)
    return kanji[:MAX_KANJI] + sorted(katakana.values(), key=lambda r: r["latin"])


def cedict_rows(path: Path) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            match = CEDICT_LINE.match(line.strip())
            if not match:
                continue
            traditional, simplified, pinyin, definition = match.groups()
            person = CEDICT_PERSON.match(definition)
            if not person:
                continue
            name = person.group(1).strip()
            if not latin_name_ok(name) or not native_name_ok(simplified):
                continue
            mandarin = _fold(re.sub(r"[\d\s·]", "", pinyin.replace("u:", "u")))
            if mandarin == _fold(name):
                # the English label is the pinyin of the characters: a Chinese name
                group, native, family_first = "Han (Chinese person)", simplified, "true"
            elif "·" in simplified:
                # a foreign name transcribed in full: given·family
                group, native, family_first = "Han (foreign name)", simplified, "false"
            elif "Japanese" in definition.split("/")[0]:
                # a Japanese name in kanji, glossed with its Japanese reading
                group, native, family_first = "Han (Japanese person)", traditional, "true"
            else:
                continue  # e.g. 特朗普 "Donald Trump": the characters spell the surname only
            rows.setdefault(
                simplified,
                {
                    "source": "cc-cedict",
                    "group": group,
                    "source_key": simplified,
                    "latin": name,
                    "native": native,
                    "family_first": family_first,
                },
            )
    return sorted(rows.values(), key=lambda r: (r["group"], r["source_key"]))


def _pairs(path: Path) -> Iterator[tuple[str, ...]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield tuple(part.strip() for part in re.split(r"\t|\|", line))


def wikidata_person_rows(specs: Iterable[str]) -> list[dict[str, str]]:
    groups = {"he": "Hebrew", "ko": "Hangul"}
    rows = []
    for spec in specs:
        lang, _, file = spec.partition("=")
        for latin, native, *_ in _pairs(Path(file)):
            if not (latin_name_ok(latin) and native_name_ok(native)):
                continue
            # unspaced Hangul/Han labels are East Asian names, written family name first
            family_first = lang == "ko" and " " not in native
            rows.append(
                {
                    "source": "wikidata",
                    "group": groups[lang],
                    "source_key": latin,
                    "latin": latin,
                    "native": native,
                    "family_first": str(family_first).lower(),
                }
            )
    return rows


def wikidata_token_rows(specs: Iterable[str]) -> list[dict[str, str]]:
    groups = {"ru": "Cyrillic (tokens)", "ar": "Arabic (tokens)"}
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for spec in specs:
        lang, _, file = spec.partition("=")
        for latin, native, count, *_ in _pairs(Path(file)):
            native = native.replace(" ", "")  # the aligned files space the letters out
            if not latin.isalpha() or not native_name_ok(native):
                continue
            rows.setdefault(
                (lang, latin),
                {
                    "source": "wikidata",
                    "group": groups[lang],
                    "source_key": f"{latin}#{count}",
                    "latin": latin,
                    "native": native,
                    "family_first": "false",
                },
            )
    return list(rows.values())


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{path.relative_to(HERE)}: {len(rows)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enamdict", type=Path)
    parser.add_argument("--cedict", type=Path)
    parser.add_argument("--wikidata-persons", nargs="*", default=[])
    parser.add_argument("--wikidata-tokens", nargs="*", default=[])
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    if args.enamdict:
        write(DATA / "enamdict_persons.csv", enamdict_rows(args.enamdict, rng))
    if args.cedict:
        write(DATA / "cedict_persons.csv", cedict_rows(args.cedict))
    if args.wikidata_persons:
        write(DATA / "wikidata_persons.csv", wikidata_person_rows(args.wikidata_persons))
    if args.wikidata_tokens:
        write(DATA / "wikidata_tokens.csv", wikidata_token_rows(args.wikidata_tokens))


if __name__ == "__main__":
    main()
