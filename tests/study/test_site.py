"""``make site``: the rendered study opens in a real browser (headless Chromium) and is complete.

Every figure image loads, every local link resolves (file and anchor), Chinese text is drawn with real
glyphs, every exhibit has its anchor, caption, linked sources and citation line; a screenshot is saved
as ``build/site/screenshot.png``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from zonestudy import paths, site

ROOT = paths.project_root()
OUT = ROOT / "build" / "site"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Draw two different Chinese characters on a canvas in the page's font: real glyphs differ and are
# not blank; missing-glyph boxes ("tofu") look alike.
CJK_PROBE = """() => {
  const font = getComputedStyle(document.body).fontSize + ' ' + getComputedStyle(document.body).fontFamily;
  const draw = (ch) => {
    const c = document.createElement('canvas'); c.width = 40; c.height = 40;
    const g = c.getContext('2d'); g.fillStyle = 'white'; g.fillRect(0, 0, 40, 40);
    g.fillStyle = 'black'; g.font = font.replace(/^[0-9.]+px/, '30px'); g.fillText(ch, 2, 32);
    return Array.from(g.getImageData(0, 0, 40, 40).data);
  };
  const a = draw('三'), b = draw('批');
  const inked = (d) => d.filter((v, i) => i % 4 === 0 && v < 128).length;
  const differ = a.some((v, i) => v !== b[i]);
  return {inkedA: inked(a), inkedB: inked(b), differ: differ};
}"""


@pytest.fixture(scope="module")
def built():
    return site.build_site(OUT)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_site_pages_load_in_chromium_with_images_links_and_chinese(built, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    pages = sorted(OUT.glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "sources.html", "03_campaign_pipeline.html"}
    ids: dict[Path, set[str]] = {}
    links: list[tuple[str, str]] = []
    for html_file in pages:
        page.goto(html_file.as_uri(), wait_until="load")
        broken = page.evaluate(
            "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.getAttribute('src'))")
        assert not broken, f"{html_file.name}: images that do not load: {broken}"
        ids[html_file] = set(page.evaluate("() => Array.from(document.querySelectorAll('[id]')).map(e => e.id)"))
        hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        links += [(html_file.name, href) for href in hrefs if href.startswith("file:")]
    bad = []
    for origin, href in links:
        url = urlparse(href)
        target = Path(unquote(url.path))
        if not target.is_file():
            bad.append(f"{origin}: {href} (no such file)")
        elif (url.fragment and target.suffix == ".html"
              and not {url.fragment, unquote(url.fragment)} & ids.get(target, set())):
            bad.append(f"{origin}: {href} (no element with that id)")
    assert links and not bad, "\n".join(bad[:20])

    page.goto((OUT / "index.html").as_uri(), wait_until="load")
    probe = page.evaluate(CJK_PROBE)
    assert probe["inkedA"] > 20 and probe["inkedB"] > 20 and probe["differ"], probe
    assert "三个一批" in page.inner_text("body")
    page.goto((OUT / "03_campaign_pipeline.html").as_uri() + "#fig01", wait_until="load")
    shot = OUT / "screenshot.png"
    page.screenshot(path=str(shot))
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("L").getextrema()
    assert colours[1] - colours[0] > 100, "the screenshot is blank"
    page.close()


def test_every_exhibit_has_anchor_caption_sources_and_citation(built):
    exhibits = site.read_exhibits()
    assert exhibits
    for exhibit in exhibits:
        text = (OUT / f"{Path(exhibit.notebook).stem}.html").read_text(encoding="utf-8")
        start = text.index(f'<figure class="exhibit {exhibit.kind}" id="{exhibit.id}">')
        block = text[start:text.index("</figure>", start)]
        assert f'id="{exhibit.name}"' in block
        for source in exhibit.sources:
            assert f'href="sources.html#{source}"' in block, (exhibit.name, source)
        assert "How to cite this exhibit:" in block
        if exhibit.kind == "figure":
            assert "<img " in block


def test_a_source_id_missing_from_sources_csv_is_refused(tmp_path):
    sources = tmp_path / "sources.csv"
    sources.write_text("source_id,family,url,title,outlet,pub_date,notes\nSX-S001,x,,t,o,,n\n",
                       encoding="utf-8")
    with pytest.raises(ValueError, match="not in sources.csv"):
        site.build_site(tmp_path / "site", sources_csv=sources, citation="c")


def test_the_site_does_not_overwrite_a_foreign_folder(tmp_path):
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(ValueError, match="not a zonestudy site"):
        site.build_site(tmp_path, citation="c")
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep"
