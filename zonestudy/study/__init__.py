"""The study: Shanxi's 三个一批 investment campaigns among China's development zones (开发区).

This subpackage holds the analysis the numbered notebooks call; it is built on the core library
(``import zonestudy as zs``) and imports only its public names. The core never imports it.

================  ========================================================================
``vocabulary``    the study's shared vocabulary: campaign stages, round labels, report keys
``reference``     the study's reference tables (``data/reference/*.csv``), read on first use
``tables``        notebook 02: builds the clean tables from the raw ones, with a cleaning report
``quality``       notebook 02's strict check: which cleaning problems stop the build
``coverage``      notebooks 01 and 06: what the data cover and where the gaps are
``pipeline``      notebook 03: stage lists, flow ratios, published rates, count pairs
``structure``     notebook 04: stage shares, sectors, named projects
``peers``         notebook 05: comparisons with cities, provinces and the national registries
``rates``         notebook 03: every published rate with the definition that reproduces it
``series``        notebook 03: the province series of list lengths, printed and derived
``designs``       notebooks 03 and 05: paired and fixed-effects size designs, Shanxi against Henan
``paper_tables``  notebook 03: summary statistics and the coverage matrix
``exhibits``      builders and captions of the tables the findings cite
``findings``      notebook 06: the findings, read from the exhibit tables they cite
``changes``       ``make diff``: clean rows, exhibits and finding values changed against git HEAD
``build``         ``python -m zonestudy.study build``: executes the numbered notebooks in order
================  ========================================================================
"""

from __future__ import annotations

import importlib

_SUBMODULES = ("vocabulary", "reference", "tables", "coverage", "pipeline", "structure", "peers", "rates",
               "series", "designs", "paper_tables", "exhibits", "quality", "changes", "findings", "build")

__all__ = list(_SUBMODULES)


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"zonestudy.study.{name}")
    raise AttributeError(f"module 'zonestudy.study' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
