"""Standardization stage: raw contract rows to comparable features.

Public surface (see the submodules' docstrings for the order of steps):

* :func:`standardize` — table in, ``pipeline.schema.FEATURE_COLUMNS`` out.
* :func:`parse_date`, :class:`ParsedDate`, :func:`is_readable_date`.
* :func:`name_features`, :func:`name_keys_for`, :func:`latin_display`.
* :func:`standardize_sex`, :func:`standardize_country`,
  :func:`is_known_country`, :func:`standardize_document`, :func:`ocr_key`,
  :func:`standardize_bool`.
"""

from pipeline.standardize.dates import ParsedDate, is_readable_date, parse_date
from pipeline.standardize.fields import (
    is_known_country,
    ocr_key,
    standardize_bool,
    standardize_country,
    standardize_document,
    standardize_sex,
)
from pipeline.standardize.frame import standardize
from pipeline.standardize.kb import KB_VERSION
from pipeline.standardize.names import NameFeatures, latin_display, name_features, name_keys_for

__all__ = [
    "KB_VERSION",
    "NameFeatures",
    "ParsedDate",
    "is_known_country",
    "is_readable_date",
    "latin_display",
    "name_features",
    "name_keys_for",
    "ocr_key",
    "parse_date",
    "standardize",
    "standardize_bool",
    "standardize_country",
    "standardize_document",
    "standardize_sex",
]
