"""Embed fonts in PDF figures without reading the whole font file for every figure.

Matplotlib embeds a TrueType font in a PDF file (``pdf.fonttype`` 42) by subsetting it with
fontTools: for every saved file it opens the font file and decompiles its character map, glyph
names, glyph outlines and metrics, then keeps the few glyphs the figure uses. For a Chinese font such
as WenQuanYi Micro Hei (about 30,000 glyphs, 5 MB) the decompiling is most of the 0.2 s a PDF file
takes to save, and it is the same work every time.

:func:`cached_font_loading` keeps, per process, one decompiled copy of each font file's large tables
(``cmap``, ``post``, ``glyf``, ``hmtx``, ``vmtx``) and gives fontTools' subsetter a fresh font for
each PDF file: the small tables are read from the file's bytes held in memory, and the large ones
are copies of the cached tables, shallow where the subsetter only replaces containers and item by
item where it edits in place (glyph records, character-map subtables). The subsetter itself, its
options and the saved bytes are matplotlib's and fontTools' own, so the PDF files are byte for byte
those of an uncached save (``tests/core/test_pdf_fonts.py`` checks this on random glyph sets).

The cache is keyed by the font file's path, size and modification time and holds at most
:data:`MAX_FONTS` fonts. Nothing is changed outside the ``with`` block. Setting the environment
variable ``ZONESTUDY_PDF_FONT_CACHE=0`` turns the cache off (fonts are then read as matplotlib
reads them; ``benchmarks/bench_build.py`` uses this as its baseline).
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

__all__ = ["ENV_VAR", "MAX_FONTS", "cached_font_loading", "clear_cache", "load_font"]

#: Fonts kept decompiled per process (a figure uses one or two: the Chinese font and DejaVu Sans).
MAX_FONTS = 4

#: Environment variable that turns the cache off when set to ``0``.
ENV_VAR = "ZONESTUDY_PDF_FONT_CACHE"

#: Tables decompiled once and copied for each subset; the other tables are read afresh each time.
_CACHED_TABLES = ("cmap", "post", "glyf", "hmtx", "vmtx")

_lock = threading.Lock()
_cache: OrderedDict[tuple, _Face] = OrderedDict()


class _Face:
    """One face of a font file: its bytes and its large tables, decompiled once."""

    def __init__(self, data: bytes, font_number: int, recalc_bounds: bool, recalc_timestamp: bool):
        self.data = data
        self.options = {"fontNumber": font_number, "recalcBBoxes": recalc_bounds,
                        "recalcTimestamp": recalc_timestamp}
        base = self.open()
        self.glyph_order = list(base.getGlyphOrder())
        self.tables: dict[str, Any] = {}
        for tag in _CACHED_TABLES:
            if tag not in base:
                continue
            table = base[tag]
            if tag == "cmap":
                for subtable in table.tables:
                    subtable.ensureDecompiled()
            self.tables[tag] = table

    def open(self):
        from fontTools import ttLib

        # as fontTools.subset.load_font opens a font (checkChecksums=0, lazy=True)
        return ttLib.TTFont(io.BytesIO(self.data), checkChecksums=0, lazy=True, **self.options)

    def fresh(self):
        """A font to subset: its own reader and small tables, copies of the cached large tables."""
        font = self.open()
        font.setGlyphOrder(list(self.glyph_order))
        for tag, table in self.tables.items():
            font.tables[tag] = _copy_table(tag, table, font)
        return font


def _copy_table(tag: str, table: Any, font: Any) -> Any:
    """A copy of a cached table that the subsetter may edit without changing the cached one."""
    new = copy.copy(table)
    if tag == "cmap":
        new.tables = []
        for subtable in table.tables:
            sub = copy.copy(subtable)
            sub.ttFont = font
            if hasattr(subtable, "cmap"):
                sub.cmap = dict(subtable.cmap)
            if hasattr(subtable, "uvsDict"):
                sub.uvsDict = {k: list(v) for k, v in subtable.uvsDict.items()}
            new.tables.append(sub)
    elif tag == "glyf":
        # the subsetter edits glyph records in place (the empty .notdef outline, component ids)
        new.glyphs = _CopyOnRead(table.glyphs)
        new.glyphOrder = list(table.glyphOrder)
        new._reverseGlyphOrder = {}
    elif tag in ("hmtx", "vmtx"):
        new.metrics = dict(table.metrics)
    elif tag == "post":
        for name in ("extraNames", "mapping", "glyphOrder"):
            value = getattr(table, name, None)
            if isinstance(value, (list, dict)):
                setattr(new, name, copy.copy(value))
    return new


def _copy_glyph(glyph: Any) -> Any:
    new = object.__new__(type(glyph))
    new.__dict__.update(glyph.__dict__)
    return new


class _CopyOnRead(dict):
    """The cached glyph records, each copied the first time it is read, so edits stay in the copy.

    Every way of reading a value goes through :meth:`__getitem__` (``__iter__`` is overridden so
    that ``dict(d)`` and ``{**d}`` do too); copying only what is read keeps a subset of a few
    dozen glyphs from copying all of a large font's records.
    """

    __slots__ = ("_copied",)

    def __init__(self, base: dict):
        super().__init__(base)
        self._copied: set = set()

    def __getitem__(self, key):
        value = dict.__getitem__(self, key)
        if key not in self._copied:
            value = _copy_glyph(value)
            dict.__setitem__(self, key, value)
            self._copied.add(key)
        return value

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value)
        self._copied.add(key)

    def __iter__(self):
        return dict.__iter__(self)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def values(self):
        return [self[key] for key in self]

    def items(self):
        return [(key, self[key]) for key in self]

    def pop(self, key, *default):
        if key in self:
            value = self[key]
            dict.__delitem__(self, key)
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def popitem(self):
        key = next(reversed(self))
        return key, self.pop(key)

    def copy(self):
        return dict(self.items())

    def __reduce__(self):
        return dict, (self.items(),)


def _face(path: str, font_number: int, recalc_bounds: bool, recalc_timestamp: bool) -> _Face:
    stat = os.stat(path)
    key = (os.path.realpath(path), stat.st_size, stat.st_mtime_ns, font_number, recalc_bounds,
           recalc_timestamp)
    with _lock:
        face = _cache.get(key)
        if face is not None:
            _cache.move_to_end(key)
            return face
    with open(path, "rb") as handle:
        face = _Face(handle.read(), font_number, recalc_bounds, recalc_timestamp)
    with _lock:
        _cache[key] = face
        while len(_cache) > MAX_FONTS:
            _cache.popitem(last=False)
    return face


def clear_cache() -> None:
    """Forget every cached font (the next PDF file reads its fonts from disk again)."""
    with _lock:
        _cache.clear()


def load_font(font_file: Any, options: Any, checkChecksums: int = 0, dontLoadGlyphNames: bool = False,
              lazy: bool = True):
    """:func:`fontTools.subset.load_font`, from the per-process cache when it can be.

    Font files named by a path (matplotlib passes one) are served from the cache; anything else
    (an open file, glyph names not loaded, checksums checked, a non-lazy load) goes to fontTools.
    """
    from fontTools import subset

    try:
        path = os.fspath(font_file)
    except TypeError:
        path = None
    if (not isinstance(path, str) or checkChecksums or dontLoadGlyphNames or lazy is not True
            or not os.path.isfile(path)):
        return subset.load_font(font_file, options, checkChecksums=checkChecksums,
                                dontLoadGlyphNames=dontLoadGlyphNames, lazy=lazy)
    face = _face(path, int(options.font_number), bool(options.recalc_bounds),
                 bool(options.recalc_timestamp))
    return face.fresh()


class _Subset:
    """``fontTools.subset`` as matplotlib's PDF backend sees it, with :func:`load_font` cached."""

    def __init__(self, module: Any):
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return load_font if name == "load_font" else getattr(self._module, name)


_patch_lock = threading.RLock()


@contextlib.contextmanager
def cached_font_loading() -> Iterator[None]:
    """Inside the block, matplotlib's PDF (and PS) backend subsets fonts from the per-process cache.

    Where matplotlib's private module ``matplotlib.backends._backend_pdf_ps`` is not laid out as
    expected (another matplotlib version), nothing is changed and fonts are read as usual.

    Examples
    --------
    >>> import io
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> _ = fig.text(0.5, 0.5, "Type 42")
    >>> with cached_font_loading():
    ...     fig.savefig(io.BytesIO(), format="pdf")
    """
    if os.environ.get(ENV_VAR, "").strip() == "0":
        yield
        return
    try:
        from matplotlib.backends import _backend_pdf_ps as backend
    except ImportError:  # pragma: no cover - other matplotlib layouts
        yield
        return
    original = getattr(backend, "subset", None)
    if original is None or not hasattr(original, "load_font") or isinstance(original, _Subset):
        yield
        return
    with _patch_lock:
        backend.subset = _Subset(original)
        try:
            yield
        finally:
            backend.subset = original
