"""The study's published clean tables, loadable without a clone of the project.

The wheel carries the CSV files of the project's ``data/clean`` folder as package data
(``zonestudy/data/clean``); inside a clone (an editable install), the tables are read from the
project's ``data/clean``. Either way :func:`load` returns the table with the dtypes of
:func:`zonestudy.io.load_clean`: dates parsed, years and round numbers as nullable integers.
Every fact keeps its ``source_id`` (ids of ``sources.csv``, several joined by ``;``); money is in
yuan (columns ``*_cny``), counts in projects (``*_count``).

==================  ===========================================================================
``campaign_facts``  every printed figure of the 三个一批 campaigns (Shanxi and peer provinces), one
                    row per fact: place, round, stage, measure, value (``value_cny`` yuan,
                    ``value_count`` projects), qualifier, ``source_id``
``article_facts``   the facts of the 科学导报 page on Shanxi's zones (KX-2024-08), one row per fact
``article_projects`` the named projects of that page: zone, company, origin, industry, stage,
                    ``investment_cny``
``published_rates`` published 开工率/投产率 figures with the counts they reproduce
``zones``           the zone registry: national ETDZs, national high-tech zones and Shanxi's zones
                    (``zone_id``, names, province, city, level, type, ``source_ids``)
``cleaning_report`` every raw value not fully cleaned, with the problem
``double_entry``    facts whose transcribed value was checked against the parsed printed text
==================  ===========================================================================

Examples
--------
>>> "campaign_facts" in available()
True
>>> facts = load("campaign_facts")
>>> {"source_id", "value_cny", "value_count"} <= set(facts.columns)
True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from zonestudy import io, paths

__all__ = ["available", "list_datasets", "load", "location"]


def location() -> Path:
    """Folder the tables are read from: the wheel's package data, else the project's ``data/clean``.

    Raises
    ------
    FileNotFoundError
        When the installed package carries no tables and no project folder is found (an
        installation from a source tree without ``data/clean``).
    """
    bundled = resources.files("zonestudy.data").joinpath("clean")
    if bundled.is_dir() and any(p.name.endswith(".csv") for p in bundled.iterdir()):
        return Path(str(bundled))
    try:
        return paths.clean_dir()
    except paths.ProjectRootNotFound as err:
        raise FileNotFoundError(
            "this installation of zonestudy carries no clean tables and no project folder was found "
            f"({err}); install the zonestudy wheel or run inside a clone of the project"
        ) from None


def available() -> list[str]:
    """Names of the published tables, sorted."""
    return sorted(p.stem for p in location().glob("*.csv"))


list_datasets = available


def load(name: str) -> pd.DataFrame:
    """One published clean table (see the module docstring for the list).

    Parameters
    ----------
    name : str
        Table name, e.g. ``"campaign_facts"``.

    Returns
    -------
    DataFrame
        With ``attrs["dataset"]`` (the name) and ``attrs["path"]`` (the file read).

    Raises
    ------
    KeyError
        For an unknown name; the message lists the available tables.
    """
    names = available()
    if name not in names:
        raise KeyError(f"no published table {name!r}; available: {', '.join(names)}")
    folder = location()
    frame = io.load_clean(name, clean_dir=folder)
    frame.attrs["dataset"] = name
    frame.attrs["path"] = str(folder / f"{name}.csv")
    return frame
