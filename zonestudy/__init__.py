"""zonestudy: China's development zones (开发区) as a citable dataset and a small research library.

Two layers. The core library (this package) holds the reusable tools and works from a wheel,
outside any clone; the study's own analysis lives beside it in :mod:`zonestudy.study`, which imports
only the core's public names (the core never imports the study).

Core submodules (each imported on first use, so ``import zonestudy`` is fast and changes nothing):

============  ==========================================================================
``paths``     project root and data folders (inside a clone)
``io``        load raw tables validated against ``data/raw/datapackage.json``; clean tables
``datasets``  the study's published clean tables, shipped in the wheel
``data``      the bundled reference tables (administrative divisions, curated names)
``stata``     labelled Stata files (variable and value labels, ``%td`` dates, data label)
``codebook``  the clean tables' codebook from ``data/clean_schema.csv``
``clean``     parse printed figures, round labels, dates and periods; OCR repairs
``zones``     zone registries, name matching, city/province normalisation, English names
``metrics``   rates and intervals, structure and concentration, specialisation, area units
``compare``   homogeneity and permutation tests for structures
``forensics`` which definition reproduces a printed rate at its printed precision; chance matches
``dedup``     one canonical row per distinct fact, with every source that prints it
``figures``   paper style, CJK fonts, deterministic figure and table files, catalogue
``latex``     paper-ready LaTeX tables (headers with units, caption, label, notes, page fit)
``sources``   lists of source ids
============  ==========================================================================

The most used functions are also available at the top level, e.g. ``zonestudy.parse_quantity``,
``zonestudy.load_raw``, ``zonestudy.cohort_rate``, ``zonestudy.match_zone``.

Examples
--------
>>> import zonestudy as zs
>>> zs.parse_quantity("总投资约11408亿元")[["value", "unit", "qualifier"]]
          value unit qualifier
0  1.140800e+12  CNY    approx
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "paths", "io", "stata", "codebook", "datasets", "data", "clean", "zones", "metrics", "compare",
    "forensics", "dedup", "figures", "latex", "sources",
)
_EXPORTS = {
    "load_raw": "io", "load_family": "io", "load_clean": "io", "write_clean": "io",
    "DataValidationError": "io",
    "parse_quantity": "clean", "parse_round_label": "clean", "parse_round_labels": "clean",
    "parse_period": "clean", "resolve_date": "clean", "repair_ocr": "clean", "format_cny": "clean",
    "ParseError": "clean",
    "match_zone": "zones", "match_zones": "zones", "load_registry": "zones", "english_name": "zones",
    "normalize_city": "zones", "normalize_province": "zones",
    "cohort_rate": "metrics", "flow_ratio": "metrics", "plan_attainment": "metrics",
    "proportion_ci": "metrics", "average_size": "metrics", "structure_shares": "metrics",
    "hhi": "metrics", "entropy": "metrics", "similarity": "metrics", "location_quotient": "metrics",
    "gini": "metrics", "per_area": "metrics", "convert_area": "metrics",
    "share_homogeneity_test": "compare", "weighted_structure_test": "compare",
    "explain_rate": "forensics", "mark_distinct": "dedup",
    "save_figure": "figures", "save_table": "figures", "use_paper_style": "figures",
}

__all__ = ["__version__", *_SUBMODULES, *_EXPORTS]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"zonestudy.{name}")
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"zonestudy.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'zonestudy' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
