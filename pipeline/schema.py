"""Field names of every table that crosses a stage boundary.

This module is the single place that names the input contract fields, the
standardized feature columns and the output columns. Stages import these
tuples instead of repeating column names.
"""

from __future__ import annotations

from typing import Final, Literal

InputKind = Literal["manifests", "records"]

#: Contract fields of a traveler manifest (all read as strings).
MANIFEST_FIELDS: Final = (
    "traveler_id",
    "surname",
    "given_names",
    "full_name",
    "date_of_birth",
    "sex",
    "nationality",
    "document_number",
    "document_country",
    "carrier",
    "flight_number",
    "departure_port",
    "arrival_port",
    "departure_date",
)

#: Contract fields of a conviction record. ``aliases`` and ``alternate_dobs``
#: are lists of strings; every other field is a string.
RECORD_FIELDS: Final = (
    "record_id",
    "subject_id",
    "surname",
    "given_names",
    "full_name",
    "aliases",
    "date_of_birth",
    "alternate_dobs",
    "sex",
    "nationality",
    "place_of_birth",
    "document_number",
    "offense_description",
    "offense_level",
    "conviction_date",
    "source_country",
    "source_agency",
    "us_person",
)

LIST_FIELDS: Final = ("aliases", "alternate_dobs")

ID_FIELD: Final[dict[InputKind, str]] = {"manifests": "traveler_id", "records": "record_id"}
FIELDS: Final[dict[InputKind, tuple[str, ...]]] = {
    "manifests": MANIFEST_FIELDS,
    "records": RECORD_FIELDS,
}

#: Bookkeeping column added by the readers: 1-based row number in the source file
#: (the header is not counted).
ROW_NUMBER: Final = "_row"

#: Standardized feature columns, one row per identity (a record with aliases
#: gives several identities). Produced by ``pipeline.standardize``.
FEATURE_COLUMNS: Final = (
    "unique_id",  # str: traveler_id, or record_id + "~" + identity index
    "source_id",  # str: traveler_id or record_id
    "subject_id",  # str | None (records only)
    "identity_kind",  # "primary" | "alias"
    "name_script",  # str: dominant script of the raw name ("Latin", "Cyrillic", ...)
    "name_tokens",  # list[str]: transliterated, folded upper-case ASCII tokens
    "name_keys",  # list[str]: romanization-variant folded key of each token
    "name_joined",  # list[str]: keys of adjacent tokens joined (Xiao Ming -> XIAOMING)
    "name_token_codes",  # list[list[str]]: per token: key, S:skeleton, M:metaphone, kb ids
    "name_skeletons",  # list[str]: consonant skeletons
    "name_phonetic",  # list[str]: phonetic codes
    "name_kb",  # list[str]: name-variant knowledge base cluster ids
    "name_sorted",  # str: sorted keys joined by a space
    "surname_key",  # str | None
    "given_key",  # str | None: first given-name key
    "dob_year",  # int | None
    "dob_month",  # int | None
    "dob_day",  # int | None
    "dob_readings",  # list[str]: every reading, "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    "dob_placeholder",  # bool: 01/01 or 00/00 style placeholder
    "dob_century_inferred",  # bool
    "sex",  # "M" | "F" | "X" | None
    "nationality",  # ISO 3166 alpha-3 | None
    "doc_number",  # str | None: upper-case alphanumerics
    "doc_ocr_key",  # str | None: OCR-confusion folded
)

MATCH_COLUMNS: Final = (
    "run_id",
    "traveler_id",
    "record_id",
    "subject_id",
    "match_probability",
    "match_weight",
    "decision",
    "rank",
    "explanation",
    "model_version",
)

SCREENING_COLUMNS: Final = (
    "run_id",
    "traveler_id",
    "status",
    "best_record_id",
    "best_match_probability",
    "n_candidates",
    "reason",
)

QUARANTINE_COLUMNS: Final = (
    "source",
    "kind",
    "row_number",
    "row_id",
    "expectations",
    "reasons",
)

SCREENING_STATUSES: Final = ("hit", "review", "clear", "rejected")
MATCH_DECISIONS: Final = ("hit", "review")

#: Version of the feature set above; a model records the version it was trained on and
#: refuses to load against code with another one.
FEATURE_VERSION: Final = 4
