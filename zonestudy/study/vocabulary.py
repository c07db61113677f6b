"""The study's shared vocabulary: campaign stages, round labels and argument checks.

One definition of each name that more than one study module uses (:mod:`~zonestudy.study.pipeline`,
:mod:`~zonestudy.study.structure`, :mod:`~zonestudy.study.peers`, :mod:`~zonestudy.study.coverage`).
Built on the core's public names only.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from zonestudy.zones import english_name

__all__ = ["STAGES", "LANGS", "round_label", "check_columns", "check_lang"]

STAGES: tuple[str, ...] = ("sign", "start", "produce")
"""The three lists of a 三个一批 round, in pipeline order (签约 → 开工 → 投产)."""

LANGS: tuple[str, ...] = ("en", "zh")
"""Languages of the study's figures and labels: English and Chinese."""


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``"en"`` or ``"zh"``, else raise ``ValueError``.

    Examples
    --------
    >>> check_lang("zh")
    'zh'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    return lang


def check_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise unless ``frame`` is a DataFrame with all ``columns``; the message names what lacks what.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "facts")
    Traceback (most recent call last):
    ...
    ValueError: facts lacks the columns ['b']
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks the columns {missing}")


def round_label(year: int, round_no: int, lang: str = "en", *, place: str | None = None) -> str:
    """Short label of a numbered round, optionally after its place.

    The project's short label of a numbered round, shared by the notebooks,
    :mod:`zonestudy.study.structure` (figure rows) and :mod:`zonestudy.study.peers` (``event`` keys):
    ``"<year>-<round_no>"`` in English, ``"<year>年第<round_no>次"`` in Chinese. With ``place``,
    the place comes first: its English name (:func:`zonestudy.zones.english_name`) or its name
    as printed. (:func:`zonestudy.study.peers.event_label` words a report's *printed* label instead —
    期, 批, quarters, seasons.)

    Parameters
    ----------
    year, round_no : int
        Year of the round and its number within the year.
    lang : {"en", "zh"}
    place : str, optional
        Place (Chinese name as in the clean tables: province, city or zone).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For a language other than English (``"en"``) and Chinese (``"zh"``).

    Examples
    --------
    >>> round_label(2023, 4), round_label(2023, 4, "zh")
    ('2023-4', '2023年第4次')
    >>> round_label(2023, 4, place="晋城市"), round_label(2021, 1, "zh", place="山西省")
    ('Jincheng 2023-4', '山西省 2021年第1次')
    """
    if check_lang(lang) == "zh":
        label = f"{int(year)}年第{int(round_no)}次"
    else:
        label = f"{int(year)}-{int(round_no)}"
    if place is None:
        return label
    return f"{place if lang == 'zh' else english_name(place)} {label}"
