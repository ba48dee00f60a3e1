"""Bytes to text: which encoding a news file is in (UTF-8, UTF-16, GB18030/GBK, Big5, Latin-1).

A byte-order mark decides at once and never reaches the text, so offsets count from the first real
character. Otherwise UTF-8 is tried strictly, then the legacy codecs this market's news comes in;
a guess is taken only when the decoded text is made of the characters such news is written in
(ASCII, Latin letters, CJK ideographs and punctuation) and `charset-normalizer` finds one reading
clearly less garbled than the others. When it cannot tell, the file is refused with the likely codec
and the `iconv` line that converts it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# codec name -> name `iconv` knows it by
_ICONV = {
    "gb18030": "GB18030",
    "big5": "BIG5",
    "cp1252": "WINDOWS-1252",
    "latin-1": "LATIN1",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
}
_LEGACY = ("gb18030", "big5", "cp1252")
_SAMPLE = 1 << 16  # guess from the first 64 KiB; the whole file must then decode strictly
_PLAUSIBLE = 0.97  # share of characters news in Chinese or English is written in
_CLEAR_MARGIN = 0.05  # charset-normalizer's chaos must separate the best reading by this much


@dataclass(frozen=True)
class Decoded:
    """A file's text and the codec it was read with (`utf-8`, `gb18030`, `big5`, `utf-16-le` …)."""

    text: str
    encoding: str
    bom: bool = False


def _news_char(ch: str) -> bool:
    code = ord(ch)
    return (
        (0x20 <= code < 0x7F)
        or ch in "\t\n\r\f"
        or 0xA0 <= code <= 0x24F  # Latin-1 supplement, Latin extended
        or 0x2000 <= code <= 0x206F  # general punctuation
        or 0x20A0 <= code <= 0x215F  # currency, letter-like symbols
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
    )


def plausibility(text: str) -> float:
    """Share of the characters that Chinese or English news is written in (1.0 for an empty text)."""
    return sum(map(_news_char, text)) / len(text) if text else 1.0


def _latin_plausible(text: str) -> bool:
    """A Western reading of bytes is believable when non-ASCII letters are few and isolated
    (café, naïve), not the runs that a CJK text read as Latin-1 gives (Ó¢Î°´ï)."""
    non_ascii = sum(1 for ch in text if not ch.isascii())
    if non_ascii > 0.3 * len(text):
        return False
    run = 0
    for ch in text:
        run = run + 1 if not ch.isascii() else 0
        if run >= 3:
            return False
    return True


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 but for a few stray bytes (one per thousand characters at most), with some
    multi-byte characters: a damaged UTF-8 file, not a legacy encoding to guess."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return bad * 1000 <= len(text) and any(ord(ch) > 0x7F and ch != "\ufffd" for ch in text[:_SAMPLE])


def _ascii_pairs(text: str) -> bool:
    """ASCII text with a stray NUL read as UTF-16 turns into ideographs whose two bytes are both
    printable ASCII ('NV' -> 乖); in real Chinese few are (英 is 0x82F1)."""
    wide = [ord(ch) for ch in text if ord(ch) > 0xFF]
    pairs = sum(1 for code in wide if 0x20 <= code >> 8 <= 0x7E and 0x20 <= code & 0xFF <= 0x7E)
    return bool(wide) and pairs > 0.6 * len(wide)


def _candidates(sample: bytes) -> dict[str, str]:
    readings: dict[str, str] = {}
    # UTF-16 without a mark: its ASCII characters (digits, spaces, line ends) bring NUL bytes
    if b"\x00" in sample:
        codecs_to_try = ["utf-16-le", "utf-16-be"] if len(sample) % 2 == 0 else []
    else:
        codecs_to_try = list(_LEGACY)
    for codec in codecs_to_try:
        try:
            # a sample may cut a multi-byte character at its end: decode what is whole
            text = codecs.getincrementaldecoder(codec)(errors="strict").decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if plausibility(text) < _PLAUSIBLE:
            continue
        if codec == "cp1252" and not _latin_plausible(text):
            continue
        if codec.startswith("utf-16") and _ascii_pairs(text):
            continue
        readings[codec] = text
    return readings


def _chaos(sample: bytes, codecs_: list[str]) -> dict[str, float]:
    from charset_normalizer import from_bytes

    isolation = [c.replace("-", "_") for c in codecs_]
    matches = from_bytes(sample, cp_isolation=isolation)
    found = {m.encoding.replace("_", "-"): m.chaos for m in matches}
    return {c: found.get(c, 1.0) for c in codecs_}


def _iconv_hint(codec: str, name: str) -> str:
    return f"`iconv -f {_ICONV.get(codec, codec.upper())} -t UTF-8 {name} > {name}.utf8.txt`"


def _refuse_unclear(data: bytes, name: str, detail: str) -> InputError:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_SAMPLE]).best()
    if best is None:
        return InputError(f"{name}: not text in any encoding we know ({detail}); give a UTF-8 text file")
    codec = best.encoding.replace("_", "-")
    return InputError(
        f"{name}: not UTF-8 and its encoding is unclear ({detail}); it is most likely {codec}: "
        f"if so, convert it with {_iconv_hint(codec, name)}"
    )


def _strict(data: bytes, codec: str, name: str, bom: bool = False) -> Decoded:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: reads as {codec} at first but byte {exc.start} is not {codec}; "
            f"the file is damaged or mixes encodings: convert it to UTF-8, e.g. {_iconv_hint(codec, name)}"
        ) from exc
    if codec == "cp1252" and all(b < 0x80 or b >= 0xA0 for b in data):
        codec = "latin-1"  # the same characters: name the standard one
    return Decoded(text, codec, bom)


def decode(data: bytes, name: str) -> Decoded:
    """The text of a file's bytes; raises InputError naming the file, the likely codec and the fix."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], codec, name, bom=True)
    sample = data[:_SAMPLE]
    if b"\x00" not in sample:
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError as exc:
            first_bad = f"byte {exc.start} is not UTF-8"
    else:
        first_bad = "NUL bytes"
    if b"\x00" not in sample and _mostly_utf8(data):
        raise InputError(
            f"{name}: UTF-8 text with bytes that are not UTF-8 ({first_bad}); the file is damaged or "
            f"mixes encodings: repair it, e.g. `iconv -f UTF-8 -t UTF-8 -c {name}` drops the bad bytes"
        )
    readings = _candidates(sample)
    if b"\x00" in sample and not readings:
        raise InputError(f"{name}: looks binary (NUL bytes, and not UTF-16 text); give a text file")
    if not readings:
        raise _refuse_unclear(data, name, first_bad)
    if len(readings) == 1:
        return _strict(data, next(iter(readings)), name)
    chaos = _chaos(sample, list(readings))
    ranked = sorted(chaos, key=lambda c: chaos[c])
    best, second = ranked[0], ranked[1]
    if chaos[second] - chaos[best] < _CLEAR_MARGIN:
        raise InputError(
            f"{name}: not UTF-8, and it reads as {best} or as {second} equally well; "
            f"if it is {best}, convert it with {_iconv_hint(best, name)}"
        )
    return _strict(data, best, name)
