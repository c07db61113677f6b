"""PDF font subsets from the per-process font cache are byte for byte matplotlib's own."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.backends import _backend_pdf_ps
from matplotlib.figure import Figure

from zonestudy import _pdf_fonts, figures


def font_path(family):
    return font_manager.findfont(family, fallback_to_default=False)


FAMILIES = ["DejaVu Sans"] + (["WenQuanYi Micro Hei"] if figures.find_cjk_font() == "WenQuanYi Micro Hei" else [])


def subset_bytes(path, glyphs):
    with _backend_pdf_ps.get_glyphs_subset(path, glyphs) as result:
        return _backend_pdf_ps.font_as_file(result.font).getvalue(), dict(result.glyph_index_map)


@pytest.fixture(params=FAMILIES)
def font(request):
    path = font_path(request.param)
    return path, font_manager.get_font(path).num_glyphs


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_cached_subset_is_matplotlibs_subset(font, data):
    path, n = font
    glyphs = data.draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=60))
    expected = subset_bytes(path, glyphs)
    with _pdf_fonts.cached_font_loading():
        first = subset_bytes(path, glyphs)
        again = subset_bytes(path, glyphs)  # the cached font was not changed by the first subset
    assert first == expected
    assert again == expected


def test_composite_glyphs_and_notdef_are_subset_as_matplotlib_does(font):
    path, n = font
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=getattr(path, "face_index", 0), lazy=True) as tt:
        records = tt["glyf"].glyphs  # unexpanded: a composite's record starts with a negative count
        composites = [i for i, name in enumerate(tt.getGlyphOrder())
                      if int.from_bytes(getattr(records[name], "data", b"")[:2] or b"\0\0", "big", signed=True) < 0][:40]
    assert composites
    glyphs = {0, *composites, n - 1}
    with _pdf_fonts.cached_font_loading():
        cached = [subset_bytes(path, glyphs), subset_bytes(path, glyphs)]
    assert cached == [subset_bytes(path, glyphs)] * 2


def test_a_figure_pdf_is_the_same_with_and_without_the_cache():
    def pdf(lang, cached):
        with figures.paper_style(lang) as used:
            fig = Figure()
            ax = fig.add_subplot()
            ax.bar([figures.label("sign", used), figures.label("start", used)], [40, 30])
            ax.set_xlabel(figures.label("stage", used))
            ax.set_ylabel(figures.label("projects", used))
            buffer = io.BytesIO()
            if cached:
                with _pdf_fonts.cached_font_loading():
                    fig.savefig(buffer, format="pdf", metadata=dict(figures._PDF_METADATA))
            else:
                fig.savefig(buffer, format="pdf", metadata=dict(figures._PDF_METADATA))
            return buffer.getvalue()

    for lang in ("en", "zh"):
        assert pdf(lang, cached=True) == pdf(lang, cached=False)


def test_matplotlib_is_left_as_it_was_after_the_block_and_after_an_error():
    original = _backend_pdf_ps.subset
    with _pdf_fonts.cached_font_loading():
        assert _backend_pdf_ps.subset is not original
        assert _backend_pdf_ps.subset.Subsetter is original.Subsetter
    assert _backend_pdf_ps.subset is original
    with pytest.raises(RuntimeError, match="inside"):
        with _pdf_fonts.cached_font_loading():
            raise RuntimeError("inside")
    assert _backend_pdf_ps.subset is original


def test_the_cache_is_bounded_and_follows_the_file(tmp_path):
    import shutil

    _pdf_fonts.clear_cache()
    source = font_path("DejaVu Sans")
    copy = tmp_path / "copy.ttf"
    shutil.copy(source, copy)
    path = font_manager.FontPath(str(copy), 0)
    with _pdf_fonts.cached_font_loading():
        subset_bytes(path, {1, 2, 3})
        assert len(_pdf_fonts._cache) == 1
        subset_bytes(path, {4})
        assert len(_pdf_fonts._cache) == 1  # served from the cache
        # another file at the same path (new size and time): read again, never the stale copy
        shutil.copy(font_path("DejaVu Sans Mono"), copy)
        fresh = subset_bytes(path, {1, 2, 3})
        assert len(_pdf_fonts._cache) == 2
    assert fresh == subset_bytes(path, {1, 2, 3})
    _pdf_fonts.clear_cache()
    assert not _pdf_fonts._cache


def test_what_the_cache_cannot_serve_goes_to_fonttools(font):
    path, _ = font
    from fontTools import subset

    options = subset.Options()
    options.font_number = getattr(path, "face_index", 0)
    with open(path, "rb") as handle:
        from_file = _pdf_fonts.load_font(handle, options)  # an open file: not cached
        assert from_file.reader is not None
    not_lazy = _pdf_fonts.load_font(path, options, lazy=False)
    assert not_lazy.lazy is False


def test_the_cache_can_be_turned_off(monkeypatch):
    original = _backend_pdf_ps.subset
    monkeypatch.setenv(_pdf_fonts.ENV_VAR, "0")
    with _pdf_fonts.cached_font_loading():
        assert _backend_pdf_ps.subset is original
    monkeypatch.setenv(_pdf_fonts.ENV_VAR, "1")
    with _pdf_fonts.cached_font_loading():
        assert _backend_pdf_ps.subset is not original
