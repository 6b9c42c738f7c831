"""What an uploaded file really is, and the renditions, meta and blurhash Mastodon shows for it.

Everything here is pure: bytes in, a `Processed` (or a `MediaRejected`) out. It needs
only Pillow and the `blurhash` package, imports without Django being configured and never
touches the database or a storage backend, so the upload view, a background task and the
tests can all call it alike.

What a file is comes from its content alone (`sniff` reads its magic bytes); the name and
the content type a client sent are never consulted, so a text file renamed `cat.png` is
simply "unsupported".

Images (PNG, JPEG, GIF, WebP, AVIF, and HEIC/HEIF when a HEIF plugin is registered with
Pillow) are handled like Mastodon handles them:

* the header's dimensions are checked against `MAX_PIXELS` before a single pixel is
  decoded;
* the file is decoded fully (a truncated or damaged file is "corrupt"); PNG, GIF, WebP and
  JPEG are also walked block by block (lengths, CRCs, the end marker) without decoding, so
  truncation is caught even if something else set Pillow's LOAD_TRUNCATED_IMAGES;
* still images are re-encoded in their own format with the EXIF orientation applied and
  all metadata dropped except the ICC colour profile (Mastodon keeps `icc-profile-data`
  too); AVIF and HEIC/HEIF become JPEG (PNG when they have transparency), as Mastodon's
  IMAGE_CONVERTIBLE_MIME_TYPES do;
* animated GIF, WebP and PNG are "gifv". Their frames are never decoded (only the first,
  for the preview); the original keeps its animation and loses only its metadata blocks
  (GIF comments and XMP, PNG text/eXIf/tIME chunks, WebP EXIF/XMP chunks) and any bytes
  after the end of the image;
* the preview ("small") follows Mastodon's `pixels: 230_400` geometry: the target box is
  ``round(sqrt(230400 * w / h)) x round(sqrt(230400 * h / w))`` and the image is shrunk
  to fit inside it (never enlarged), so 1200x800 gives 588x392 exactly as on Mastodon;
* the blurhash has Mastodon's 4x4 components (BLURHASH_OPTIONS in media_attachment.rb) and
  is computed on a copy at most `BLURHASH_SIZE` pixels on its longer side.

Video, audio and PDF are recognised and size-checked, and returned unchanged: transcoding is
not this module's job. When ffmpeg and ffprobe are on the PATH (Debian's `ffmpeg` package),
a video also gets Mastodon's preview, a PNG still of its first frame fitted in 640x640 (never
enlarged) with its geometry as meta "small" and its blurhash, and meta "original" with width,
height, frame_rate ("num/den"), duration and bitrate; an audio file gets meta "original"
(duration, bitrate) and, when it embeds a cover picture, that picture as its preview (what
Mastodon's image extractor does). Without ffmpeg, or for a file ffmpeg cannot read, nothing is
added: the file is kept with empty meta and no preview. `thumbnail` checks and renders a
picture a client gives as the preview of a video or audio (Mastodon's `thumbnail`).

About Pillow's global state: nothing here changes `Image.MAX_IMAGE_PIXELS` or
`ImageFile.LOAD_TRUNCATED_IMAGES`. The bomb guard is local: `Image.open` reads only the
header, and `process` refuses anything over `MAX_PIXELS` (a third of Pillow's own default
limit) before it calls `.load()`; frames after the first are never decoded at all. If
Pillow's own guard fires first (a header claiming billions of pixels), that is reported
as the same "dimensions are too large" rejection.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import subprocess
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

import blurhash
from PIL import Image, ImageOps, features

__all__ = [
    "BLURHASH_COMPONENTS",
    "IMAGE_LIMIT",
    "MAX_PIXELS",
    "OTHER_LIMIT",
    "SMALL_PIXELS",
    "MediaRejected",
    "Processed",
    "Sniffed",
    "ffmpeg_available",
    "process",
    "small_size",
    "sniff",
    "thumbnail",
]

IMAGE_LIMIT = 16 * 1024 * 1024
OTHER_LIMIT = 100 * 1024 * 1024
MAX_PIXELS = 33_177_600  # Mastodon's image_matrix_limit, e.g. 7680x4320
SMALL_PIXELS = 230_400  # 640x360's area: Mastodon's "small" style
BLURHASH_COMPONENTS = (4, 4)  # x, y: Mastodon's BLURHASH_OPTIONS
BLURHASH_SIZE = 64  # longer side of the copy the blurhash is computed on
JPEG_QUALITY = 90  # Mastodon's GLOBAL_CONVERT_OPTIONS use -quality 90
SNIFF_BYTES = 64

MSG_UNSUPPORTED = "Validation failed: File content type is invalid"
MSG_DIMENSIONS = "Validation failed: File dimensions are too large"
MSG_CORRUPT = "Error processing thumbnail for uploaded media"
MSG_THUMBNAIL_TYPE = "Validation failed: Thumbnail content type is invalid"

_MIB = 1024 * 1024


class MediaRejected(Exception):
    """message: the text a client sees; code: 'too_large' | 'unsupported' | 'corrupt'."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "image" | "gifv" | "video" | "audio" | "doc"
    content_type: str
    extension: str


@dataclass(frozen=True)
class Processed:
    kind: str  # "image" | "gifv" | "video" | "audio" | "doc" | "unknown"
    content_type: str
    extension: str
    original: bytes
    small: bytes | None
    small_content_type: str | None
    meta: dict = field(default_factory=dict)
    blurhash: str | None = None


# --------------------------------------------------------------------------- sniffing

_PNG = Sniffed("image", "image/png", ".png")
_JPEG = Sniffed("image", "image/jpeg", ".jpg")
_GIF = Sniffed("image", "image/gif", ".gif")
_WEBP = Sniffed("image", "image/webp", ".webp")
_AVIF = Sniffed("image", "image/avif", ".avif")
_HEIC = Sniffed("image", "image/heic", ".heic")
_HEIF = Sniffed("image", "image/heif", ".heif")
_MP4 = Sniffed("video", "video/mp4", ".mp4")
_MOV = Sniffed("video", "video/quicktime", ".mov")
_M4A = Sniffed("audio", "audio/mp4", ".m4a")
_WEBM = Sniffed("video", "video/webm", ".webm")
_OGV = Sniffed("video", "video/ogg", ".ogv")
_OGG = Sniffed("audio", "audio/ogg", ".ogg")
_MP3 = Sniffed("audio", "audio/mpeg", ".mp3")
_WAV = Sniffed("audio", "audio/wav", ".wav")
_FLAC = Sniffed("audio", "audio/flac", ".flac")
_PDF = Sniffed("doc", "application/pdf", ".pdf")

_AVIF_BRANDS = {b"avif", b"avis"}
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1", b"mif2"}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_MP4_BRAND_PREFIXES = (
    b"iso",
    b"mp4",
    b"mp7",
    b"avc",
    b"M4V",
    b"dash",
    b"f4v",
    b"mmp4",
    b"MSNV",
    b"XAVC",
)


def _ftyp(head: bytes) -> Sniffed | None:
    """ISO base media (MP4, MOV, M4A, AVIF, HEIC): the major brand, then the compatible ones."""
    size = int.from_bytes(head[0:4], "big")
    end = min(len(head), size) if size >= 16 else min(len(head), 16)
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, end - 3, 4)}
    brands = [major, *sorted(compatible)]
    if major in _AVIF_BRANDS or (major in _HEIF_BRANDS and compatible & _AVIF_BRANDS):
        return _AVIF
    if major in _HEIC_BRANDS or (major in _HEIF_BRANDS and compatible & _HEIC_BRANDS):
        return _HEIC
    if major in _HEIF_BRANDS:
        return _HEIF
    if major == b"qt  ":
        return _MOV
    if major in _M4A_BRANDS:
        return _M4A
    if major.startswith(_MP4_BRAND_PREFIXES):
        return _MP4
    # An unfamiliar major brand: trust a compatible brand we know.
    if compatible & _AVIF_BRANDS:
        return _AVIF
    if compatible & _HEIC_BRANDS:
        return _HEIC
    if b"qt  " in compatible:
        return _MOV
    if any(brand.startswith(_MP4_BRAND_PREFIXES) for brand in brands):
        return _MP4
    return None


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame header (MP3 without an ID3 tag); reserved values rejected."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 3
    layer = (head[1] >> 1) & 3
    bitrate = head[2] >> 4
    rate = (head[2] >> 2) & 3
    emphasis = head[3] & 3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3 and emphasis != 2


def sniff(head: bytes) -> Sniffed | None:
    """What the first bytes of a file say it is; None when they say nothing we know.

    Only the first 64 bytes are looked at. GIF, PNG and WebP come back as "image": whether
    they are animated ("gifv") takes more than a header to know, see `process`.
    """
    head = bytes(head[:SNIFF_BYTES])
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if head.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _GIF
    if head[:4] in (b"RIFF", b"RF64") and len(head) >= 12:
        if head[8:12] == b"WEBP" and head[:4] == b"RIFF":
            return _WEBP
        if head[8:12] == b"WAVE":
            return _WAV
        return None
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _ftyp(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _WEBM
    if head.startswith(b"OggS"):
        # The first page holds the first packet of the first stream: Theora means video,
        # a Skeleton track is (in practice) only put in front of video.
        if b"\x80theora" in head or b"fishead\x00" in head:
            return _OGV
        return _OGG
    if head.startswith(b"fLaC"):
        return _FLAC
    if head.startswith(b"%PDF-"):
        return _PDF
    if head.startswith(b"ID3") and len(head) >= 10 and 2 <= head[3] <= 4 and head[4] != 0xFF:
        return _MP3
    if _mpeg_audio_frame(head):
        return _MP3
    return None


# --------------------------------------------------------------------------- containers


class _Broken(Exception):
    """A container walk found truncated or inconsistent structure."""


@dataclass
class _Container:
    frames: int = 1
    # How many frames show for how long: (numerator, denominator) of seconds -> frames.
    delays: Counter[tuple[int, int]] = field(default_factory=Counter)
    clean: bytes | None = None  # the file without metadata blocks and trailing bytes
    lossless: bool = False  # WebP only: VP8L bitstream


def _u16le(data: bytes, pos: int) -> int:
    return data[pos] | (data[pos + 1] << 8)


def _need(data: bytes, end: int) -> None:
    if end > len(data):
        raise _Broken


def _walk_gif(data: bytes) -> _Container:
    """Blocks of a GIF: frames, delays, and the file without comments and XMP."""
    _need(data, 13)
    pos = 13
    if data[10] & 0x80:
        pos += 3 << ((data[10] & 7) + 1)
    _need(data, pos)
    out = [data[:pos]]
    delays: Counter[int] = Counter()
    pending_delay = 0
    frames = 0

    def skip_sub_blocks(p: int) -> int:
        while True:
            _need(data, p + 1)
            n = data[p]
            p += 1
            if n == 0:
                return p
            p += n
            _need(data, p)

    while True:
        if pos == len(data):
            # No trailer: most decoders accept a file that stops between blocks.
            if frames == 0:
                raise _Broken
            out.append(b";")
            break
        block = data[pos]
        if block == 0x3B:  # trailer
            out.append(b";")
            break
        if block == 0x21:  # extension
            _need(data, pos + 2)
            label = data[pos + 1]
            end = skip_sub_blocks(pos + 2)
            keep = True
            if label == 0xF9 and end - pos >= 8 and data[pos + 2] == 4:
                pending_delay = _u16le(data, pos + 4)
            elif label == 0xFE:  # comment
                keep = False
            elif label == 0xFF:  # application: keep the loop count, drop XMP and the rest
                ident = data[pos + 3 : pos + 14] if data[pos + 2] == 11 else b""
                keep = ident in (b"NETSCAPE2.0", b"ANIMEXTS1.0")
            if keep:
                out.append(data[pos:end])
            pos = end
        elif block == 0x2C:  # image descriptor
            _need(data, pos + 10)
            header = pos + 10
            if data[pos + 9] & 0x80:
                header += 3 << ((data[pos + 9] & 7) + 1)
            _need(data, header + 1)  # LZW minimum code size
            end = skip_sub_blocks(header + 1)
            out.append(data[pos:end])
            frames += 1
            delays[pending_delay] += 1
            pending_delay = 0
            pos = end
        else:
            raise _Broken
    # Browsers and ffmpeg show delays under 2 centiseconds as 10.
    timing: Counter[tuple[int, int]] = Counter()
    for delay, count in delays.items():
        timing[(delay if delay >= 2 else 10, 100)] += count
    return _Container(frames=frames, delays=timing, clean=b"".join(out))


# Ancillary PNG chunks worth keeping: colour, transparency, and APNG's animation.
_PNG_KEEP = {
    b"tRNS",
    b"gAMA",
    b"cHRM",
    b"sRGB",
    b"iCCP",
    b"sBIT",
    b"cICP",
    b"mDCV",
    b"cLLI",
    b"bKGD",
    b"pHYs",
    b"acTL",
    b"fcTL",
    b"fdAT",
}


def _walk_png(data: bytes) -> _Container:
    """Chunks of a PNG: lengths and CRCs, APNG frames, and the file without metadata chunks."""
    pos = 8
    out = [data[:8]]
    frames = 1
    delays: Counter[tuple[int, int]] = Counter()
    first = True
    while True:
        _need(data, pos + 12)
        length = int.from_bytes(data[pos : pos + 4], "big")
        ctype = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if length > 0x7FFFFFFF:
            raise _Broken
        _need(data, end)
        if first and ctype != b"IHDR":
            raise _Broken
        first = False
        critical = not (ctype[0] & 0x20)
        if critical or ctype in _PNG_KEEP:
            crc = int.from_bytes(data[end - 4 : end], "big")
            if zlib.crc32(data[pos + 4 : end - 4]) != crc:
                raise _Broken
            out.append(data[pos:end])
            body = data[pos + 8 : end - 4]
            if ctype == b"acTL" and length >= 8:
                frames = max(1, int.from_bytes(body[0:4], "big"))
            elif ctype == b"fcTL" and length >= 26:
                num = int.from_bytes(body[20:22], "big")
                den = int.from_bytes(body[22:24], "big") or 100
                delays[(num, den)] += 1
        if ctype == b"IEND":
            break
        pos = end
    return _Container(frames=frames, delays=delays, clean=b"".join(out))


def _walk_webp(data: bytes) -> _Container:
    """Chunks of a WebP: the RIFF size, ANMF durations, and the file without EXIF and XMP."""
    _need(data, 12)
    riff_end = 8 + int.from_bytes(data[4:8], "little")
    _need(data, riff_end)
    pos = 12
    chunks: list[bytes] = []
    delays: Counter[tuple[int, int]] = Counter()
    vp8x_index = None
    lossless = False
    while pos + 8 <= riff_end:
        fourcc = data[pos : pos + 4]
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        end = pos + 8 + size + (size & 1)
        if pos + 8 + size > riff_end:
            raise _Broken
        end = min(end, riff_end)
        if fourcc == b"ANMF" and size >= 16:
            p = pos + 8
            delays[(int.from_bytes(data[p + 12 : p + 15], "little"), 1000)] += 1
        elif fourcc == b"VP8L":
            lossless = True
        elif fourcc == b"VP8X" and size >= 10:
            vp8x_index = len(chunks)
        if fourcc not in (b"EXIF", b"XMP "):
            chunk = data[pos:end]
            if len(chunk) & 1:
                chunk += b"\x00"
            chunks.append(chunk)
        pos = end
    if not chunks:
        raise _Broken
    if vp8x_index is not None:  # clear the EXIF (0x08) and XMP (0x04) flags
        c = chunks[vp8x_index]
        chunks[vp8x_index] = c[:8] + bytes([c[8] & ~0x0C & 0xFF]) + c[9:]
    body = b"WEBP" + b"".join(chunks)
    clean = b"RIFF" + len(body).to_bytes(4, "little") + body
    frames = max(1, sum(delays.values()))
    return _Container(frames=frames, delays=delays, clean=clean, lossless=lossless)


def _walk_jpeg(data: bytes) -> _Container:
    """Marker segments up to the first scan, then an end-of-image marker after it.

    Entropy-coded data cannot contain FF D9 (a data FF is stuffed as FF 00), so a file cut
    anywhere inside its scans has no EOI after the first SOS. This holds even if some other
    code in the process has turned on Pillow's LOAD_TRUNCATED_IMAGES.
    """
    pos = 2
    while True:
        _need(data, pos + 2)
        if data[pos] != 0xFF:
            raise _Broken
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        _need(data, pos + 4)
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    if data.find(b"\xff\xd9", pos) < 0:
        raise _Broken
    return _Container()


_WALKERS = {
    "image/gif": _walk_gif,
    "image/png": _walk_png,
    "image/webp": _walk_webp,
    "image/jpeg": _walk_jpeg,
}


def _timing(delays: Counter[tuple[int, int]]) -> tuple[str, float] | None:
    """The frame rate (ffprobe's "num/den" base rate: every frame shows on a tick of it) and
    the total duration in seconds; None when the frames carry no timing."""
    shown = {Fraction(num, den): count for (num, den), count in delays.items() if num and den}
    if not shown:
        return None
    common = math.lcm(*(d.denominator for d in shown))
    tick = Fraction(math.gcd(*(int(d * common) for d in shown)), common)
    rate = 1 / tick
    total = sum((d * count for d, count in shown.items()), Fraction(0))
    return f"{rate.numerator}/{rate.denominator}", round(float(total), 3)


# --------------------------------------------------------------------------- images

_PILLOW_FORMAT = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "image/avif": "AVIF",
    "image/heic": "HEIF",
    "image/heif": "HEIF",
}
_CONVERTED = {"image/avif", "image/heic", "image/heif"}  # become JPEG/PNG, as on Mastodon
_ANIMATABLE = {"image/gif", "image/png", "image/webp"}


def _can_decode(fmt: str) -> bool:
    Image.init()
    if fmt not in Image.OPEN:
        return False
    if fmt in ("WEBP", "AVIF"):
        return bool(features.check_module(fmt.lower()))
    return True


def small_size(width: int, height: int, pixels: int = SMALL_PIXELS) -> tuple[int, int]:
    """The preview's size: Mastodon's box for `pixels`, the image fitted in it, never enlarged."""
    if width * height <= pixels:
        return width, height
    box_w = math.floor(math.sqrt(pixels * width / height) + 0.5)
    box_h = math.floor(math.sqrt(pixels * height / width) + 0.5)
    scale = min(box_w / width, box_h / height)
    if scale >= 1:
        return width, height
    w = max(1, min(box_w, math.floor(width * scale + 0.5)))
    h = max(1, min(box_h, math.floor(height * scale + 0.5)))
    return w, h


def _geometry(width: int, height: int) -> dict:
    return {"width": width, "height": height, "size": f"{width}x{height}", "aspect": width / height}


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


def _flat(im: Image.Image, alpha: bool) -> Image.Image:
    """An 8-bit RGB or RGBA copy, whatever the mode (16-bit, CMYK, palette)."""
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        # 16-bit samples: scale to 8 bits instead of clipping at 255.
        im = im.convert("I").point(lambda v: v * (255 / 65535)).convert("L")
    target = "RGBA" if alpha else "RGB"
    return im if im.mode == target else im.convert(target)


def _encode(
    im: Image.Image,
    fmt: str,
    *,
    alpha: bool,
    icc: bytes | None,
    transparency=None,
    lossless: bool = False,
) -> bytes:
    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        if im.mode not in ("L", "RGB", "CMYK"):
            im = _flat(im, alpha=False)
        im.save(out, "JPEG", quality=JPEG_QUALITY, **extra)
    elif fmt == "PNG":
        if im.mode in ("I", "I;16B", "I;16L", "I;16N"):
            im = im.convert("I;16")  # Pillow writes 16-bit greyscale only from I;16
        elif im.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            im = _flat(im, alpha=alpha)
        if transparency is not None and im.mode in ("P", "L", "RGB", "I;16"):
            extra["transparency"] = transparency
        im.save(out, "PNG", **extra)
    elif fmt == "GIF":
        if im.mode not in ("P", "L", "1"):
            im = _flat(im, alpha=alpha)
        elif transparency is not None:
            extra["transparency"] = transparency
        extra.pop("icc_profile", None)
        im.save(out, "GIF", **extra)
    else:  # WEBP
        im = _flat(im, alpha=alpha)
        if lossless:
            im.save(out, "WEBP", lossless=True, exact=alpha, **extra)
        else:
            im.save(out, "WEBP", quality=JPEG_QUALITY, **extra)
    return out.getvalue()


def _blurhash(im: Image.Image) -> str:
    tiny = im.copy()
    tiny.thumbnail((BLURHASH_SIZE, BLURHASH_SIZE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    tiny = _flat(tiny, alpha=False)
    w, h = tiny.size
    raw = tiny.tobytes()
    rows = [[raw[i : i + 3] for i in range(y * w * 3, (y + 1) * w * 3, 3)] for y in range(h)]
    return blurhash.encode(
        rows, components_x=BLURHASH_COMPONENTS[0], components_y=BLURHASH_COMPONENTS[1]
    )


def _process_image(data: bytes, sniffed: Sniffed) -> Processed:
    fmt = _PILLOW_FORMAT[sniffed.content_type]
    if not _can_decode(fmt):
        raise MediaRejected(MSG_UNSUPPORTED, "unsupported")
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as im:
            width, height = im.size
            # The bomb guard: the header is all that has been read so far.
            if width * height > MAX_PIXELS:
                raise MediaRejected(MSG_DIMENSIONS, "too_large")
            walker = _WALKERS.get(sniffed.content_type)
            container = walker(data) if walker else _Container()
            animated = (
                sniffed.content_type in _ANIMATABLE
                and container.frames > 1
                and bool(getattr(im, "is_animated", False))
            )
            im.load()  # the first frame, decoded completely: truncation raises here
            icc = im.info.get("icc_profile") or None
            transparency = im.info.get("transparency")
            if animated:
                frame = im.copy()
            else:
                try:
                    frame = ImageOps.exif_transpose(im)
                except Exception:  # unreadable EXIF: keep the pixels as they are
                    frame = im.copy()
            frame.info = {}  # no EXIF, XMP, comments, text chunks, dpi or dates may leak
            if transparency is not None:
                frame.info["transparency"] = transparency
            w, h = frame.size
            # 8-bit RGB(A) pixels for the preview, the blurhash and any format conversion;
            # an alpha channel that is opaque everywhere does not count as transparency.
            flat = _flat(frame, alpha=_has_alpha(frame))
            if flat.mode == "RGBA" and flat.getchannel("A").getextrema()[0] == 255:
                flat = flat.convert("RGB")
            alpha = flat.mode == "RGBA"
            # The profile can follow the pixels to an RGB rendition only if it describes RGB.
            rgb_icc = icc if icc and icc[16:20] == b"RGB " else None

            if animated:
                kind, content_type, extension = "gifv", sniffed.content_type, sniffed.extension
                original = container.clean or data
            elif sniffed.content_type in _CONVERTED:
                kind = "image"
                out_fmt = "PNG" if alpha else "JPEG"
                content_type, extension = ("image/png", ".png") if alpha else ("image/jpeg", ".jpg")
                original = _encode(flat, out_fmt, alpha=alpha, icc=rgb_icc)
            else:
                kind, content_type, extension = "image", sniffed.content_type, sniffed.extension
                original = _encode(
                    frame,
                    fmt,
                    alpha=_has_alpha(frame),
                    icc=icc,
                    transparency=transparency,
                    lossless=container.lossless,
                )

            sw, sh = small_size(w, h)
            preview = flat
            if (sw, sh) != (w, h):
                preview = flat.resize((sw, sh), Image.Resampling.LANCZOS, reducing_gap=3.0)
            small_fmt, small_type = ("PNG", "image/png") if alpha else ("JPEG", "image/jpeg")
            small = _encode(preview, small_fmt, alpha=alpha, icc=rgb_icc)
            blur = _blurhash(preview)
    except MediaRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaRejected(MSG_DIMENSIONS, "too_large") from None
    except Exception:  # Pillow speaks in many exception types; to a client they all mean this
        raise MediaRejected(MSG_CORRUPT, "corrupt") from None

    meta = {"original": _geometry(w, h), "small": _geometry(sw, sh)}
    timing = _timing(container.delays) if animated else None
    if timing:
        meta["original"]["frame_rate"], meta["original"]["duration"] = timing
    return Processed(
        kind=kind,
        content_type=content_type,
        extension=extension,
        original=original,
        small=small,
        small_content_type=small_type,
        meta=meta,
        blurhash=blur,
    )


# --------------------------------------------------------------------------- entry point


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise MediaRejected(
            f"Validation failed: File file size must be less than {limit // _MIB} MB", "too_large"
        )


def process(
    data: bytes,
    *,
    image_limit: int = IMAGE_LIMIT,
    other_limit: int = OTHER_LIMIT,
    allow: frozenset[str] = frozenset({"image", "gifv", "video", "audio"}),
) -> Processed:
    """Decide what `data` is and prepare what a MediaAttachment stores and shows for it.

    Raises MediaRejected (and nothing else) for anything that cannot be accepted: content
    that is not a known kind or not in `allow`, a file over its size limit, an image over
    `MAX_PIXELS`, or an image that cannot be decoded. Putting "unknown" in `allow` accepts
    unrecognised content as-is (kind "unknown", application/octet-stream, `other_limit`).
    """
    data = bytes(data)
    sniffed = sniff(data[:SNIFF_BYTES])
    if sniffed is None:
        if "unknown" not in allow:
            raise MediaRejected(MSG_UNSUPPORTED, "unsupported")
        _check_size(len(data), other_limit)
        return Processed("unknown", "application/octet-stream", ".bin", data, None, None, {}, None)
    if sniffed.kind == "image":
        if not allow & {"image", "gifv"}:
            raise MediaRejected(MSG_UNSUPPORTED, "unsupported")
        _check_size(len(data), image_limit)
        result = _process_image(data, sniffed)
        if result.kind not in allow:
            raise MediaRejected(MSG_UNSUPPORTED, "unsupported")
        return result
    if sniffed.kind not in allow:
        raise MediaRejected(MSG_UNSUPPORTED, "unsupported")
    _check_size(len(data), other_limit)
    still, small_type, meta, blur = _audio_video_preview(data, sniffed)
    return Processed(
        sniffed.kind, sniffed.content_type, sniffed.extension, data, still, small_type, meta, blur
    )


def thumbnail(data: bytes, *, limit: int = IMAGE_LIMIT) -> Processed:
    """A picture given as the preview of some media (Mastodon's `thumbnail`): any still or
    animated image Mastodon accepts, within the image limit, rendered at the "small" size (its
    `small` is what is stored; animations keep their first frame). MediaRejected speaks of
    the Thumbnail, as Mastodon's validation messages do."""
    data = bytes(data)
    sniffed = sniff(data[:SNIFF_BYTES])
    if sniffed is None or sniffed.kind != "image":
        raise MediaRejected(MSG_THUMBNAIL_TYPE, "unsupported")
    if len(data) > limit:
        raise MediaRejected(
            f"Validation failed: Thumbnail file size must be less than {limit // _MIB} MB",
            "too_large",
        )
    try:
        return _process_image(data, sniffed)
    except MediaRejected as exc:
        if exc.code == "unsupported":
            raise MediaRejected(MSG_THUMBNAIL_TYPE, exc.code) from None
        raise MediaRejected(exc.message.replace(" File ", " Thumbnail ", 1), exc.code) from None


# --------------------------------------------------------------------------- video and audio

FFMPEG_TIMEOUT = 60  # seconds for one ffprobe or ffmpeg run
VIDEO_SMALL_BOX = 640  # Mastodon's VIDEO_STYLES small: scale='min(640,iw):min(640,ih)'


def ffmpeg_available() -> bool:
    """Whether the ffmpeg and ffprobe programs are on the PATH."""
    return bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))


def _run(args: list[str]) -> bytes | None:
    try:
        done = subprocess.run(args, capture_output=True, timeout=FFMPEG_TIMEOUT, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _probe(path: str) -> dict | None:
    out = _run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
                "-show_streams", path])
    try:
        return json.loads(out) if out else None
    except ValueError:
        return None


def _number(value, cast):
    try:
        return cast(value)
    except (TypeError, ValueError):
        return None


def _av_meta(probe: dict, kind: str) -> dict:
    """Mastodon's video_metadata: width, height, frame_rate, duration, bitrate (absent ones
    left out); audio has no picture size or frame rate."""
    streams = probe.get("streams") or []
    fmt = probe.get("format") or {}
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not (s.get("disposition") or {}).get("attached_pic")), None)
    meta = {}
    if kind == "video" and video is not None:
        meta["width"] = _number(video.get("width"), int)
        meta["height"] = _number(video.get("height"), int)
        rate = video.get("avg_frame_rate") or video.get("r_frame_rate")
        meta["frame_rate"] = rate if rate and rate != "0/0" else None
    meta["duration"] = _number(fmt.get("duration"), float)
    meta["bitrate"] = _number(fmt.get("bit_rate"), int)
    return {key: value for key, value in meta.items() if value is not None}


def _audio_video_preview(data: bytes, sniffed: Sniffed
                         ) -> tuple[bytes | None, str | None, dict, str | None]:
    """(small, its content type, meta, blurhash) for a video or audio file; nothing at all
    without ffmpeg or for a file it cannot read."""
    if sniffed.kind not in ("video", "audio") or not ffmpeg_available():
        return None, None, {}, None
    handle, path = tempfile.mkstemp(suffix=sniffed.extension)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        probe = _probe(path)
        if probe is None:
            return None, None, {}, None
        meta: dict = {}
        original = _av_meta(probe, sniffed.kind)
        if original:
            meta["original"] = original
        if sniffed.kind == "video":
            frame = _run(["ffmpeg", "-v", "error", "-nostdin", "-ss", "0", "-i", path,
                          "-an", "-frames:v", "1",
                          "-vf", f"scale='min({VIDEO_SMALL_BOX},iw)':'min({VIDEO_SMALL_BOX},ih)'"
                                 ":force_original_aspect_ratio=decrease",
                          "-f", "image2pipe", "-c:v", "png", "pipe:1"])
            still = _still(frame)
            if still is None:
                return None, None, meta, None
            png, geometry, blur = still
            meta["small"] = geometry
            return png, "image/png", meta, blur
        covers = [s for s in probe.get("streams") or []
                  if s.get("codec_type") == "video"
                  and (s.get("disposition") or {}).get("attached_pic")]
        if not covers:
            return None, None, meta, None
        picture = _run(["ffmpeg", "-v", "error", "-nostdin", "-i", path,
                        "-map", f"0:{int(covers[0].get('index', 0))}", "-frames:v", "1",
                        "-f", "image2pipe", "-c:v", "png", "pipe:1"])
        if not picture:
            return None, None, meta, None
        try:
            cover = _process_image(picture, _PNG)
        except MediaRejected:
            return None, None, meta, None
        meta["small"] = cover.meta["small"]
        return cover.small, cover.small_content_type, meta, cover.blurhash
    finally:
        os.unlink(path)


def _still(png: bytes | None) -> tuple[bytes, dict, str] | None:
    """The PNG ffmpeg made, its geometry and its blurhash; None if it is not a readable PNG."""
    if not png or not png.startswith(b"\x89PNG"):
        return None
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as im:
            im.load()
            if im.width * im.height > MAX_PIXELS:
                return None
            return png, _geometry(im.width, im.height), _blurhash(im)
    except Exception:  # a broken frame means no preview, never a failed upload
        return None
