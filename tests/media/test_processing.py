"""media.processing: what a file really is, its renditions, meta and blurhash. No database."""

import dataclasses
import io
import os
import random
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import blurhash
import pytest
from PIL import Image, ImageCms, ImageFile, features

from media.processing import (
    IMAGE_LIMIT,
    MAX_PIXELS,
    OTHER_LIMIT,
    MediaRejected,
    Processed,
    Sniffed,
    process,
    small_size,
    sniff,
)

MIB = 1024 * 1024
UNSUPPORTED = "Validation failed: File content type is invalid"
DIMENSIONS = "Validation failed: File dimensions are too large"
CORRUPT = "Error processing thumbnail for uploaded media"
ALL_KINDS = frozenset({"image", "gifv", "video", "audio", "doc"})

RED, BLUE = (230, 20, 20), (20, 20, 230)


# --------------------------------------------------------------------------- builders


def encode(im, fmt, **kwargs):
    out = io.BytesIO()
    im.save(out, fmt, **kwargs)
    return out.getvalue()


def gradient(width, height, mode="RGB"):
    """A picture with structure (so encoders and the blurhash have something to chew on)."""
    r = Image.linear_gradient("L").resize((width, height))
    g = Image.radial_gradient("L").resize((width, height))
    b = r.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return Image.merge("RGB", (r, g, b)).convert(mode)


def exif_with(orientation=None, gps=True):
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x010F] = "SpyCam Inc."  # Make
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (48.0, 51.0, 30.0)
        gps_ifd[3] = "E"
        gps_ifd[4] = (2.0, 17.0, 40.0)
    return exif


def halves(width, height, left, right):
    im = Image.new("RGB", (width, height), left)
    im.paste(right, (width // 2, 0, width, height))
    return im


def animated(fmt, colours, **kwargs):
    frames = [Image.new("RGB", (60, 40), c) for c in colours]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], **kwargs)


def png_chunk(ctype, body):
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def png_header(width, height):
    """A PNG signature, its IHDR and a token IDAT: enough for a header read, hardly any pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(bytes(width * 3 + 1))
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)


def jpeg_header(width, height):
    """SOI, a baseline SOF0 and an SOS header: a JPEG header with no scan data."""
    sof = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x00\x03\x11\x00"
    sos = b"\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"
    return (
        b"\xff\xd8"
        + b"\xff\xc0"
        + struct.pack(">H", len(sof) + 2)
        + sof
        + b"\xff\xda"
        + struct.pack(">H", len(sos) + 2)
        + sos
    )


def ftyp(major, *compatible):
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", len(body) + 8) + b"ftyp" + body + b"\x00\x00\x00\x08free"


def ogg_page(packet):
    header = b"OggS\x00\x02" + bytes(8) + b"\x01\x00\x00\x00" + bytes(4) + bytes(4)
    return header + bytes([1, len(packet)]) + packet


EBML_WEBM = bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104")
MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(60)
WAV = (
    b"RIFF"
    + struct.pack("<I", 36)
    + b"WAVEfmt "
    + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
)
FLAC = b"fLaC\x00\x00\x00\x22" + bytes(34)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


# --------------------------------------------------------------------------- sniff


@pytest.mark.parametrize(
    ("head", "kind", "content_type", "extension"),
    [
        (encode(gradient(4, 4), "PNG"), "image", "image/png", ".png"),
        (encode(gradient(4, 4), "JPEG"), "image", "image/jpeg", ".jpg"),
        (b"GIF87a" + bytes(20), "image", "image/gif", ".gif"),
        (b"GIF89a" + bytes(20), "image", "image/gif", ".gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image", "image/webp", ".webp"),
        (ftyp(b"avif", b"mif1", b"miaf"), "image", "image/avif", ".avif"),
        (ftyp(b"mif1", b"avif"), "image", "image/avif", ".avif"),
        (ftyp(b"heic", b"mif1", b"heic"), "image", "image/heic", ".heic"),
        (ftyp(b"mif1", b"heic"), "image", "image/heic", ".heic"),
        (ftyp(b"mif1", b"miaf"), "image", "image/heif", ".heif"),
        (ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "video", "video/mp4", ".mp4"),
        (ftyp(b"mp42", b"mp42", b"isom"), "video", "video/mp4", ".mp4"),
        (ftyp(b"M4V ", b"M4V ", b"mp42"), "video", "video/mp4", ".mp4"),
        (ftyp(b"qt  ", b"qt  "), "video", "video/quicktime", ".mov"),
        (ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), "audio", "audio/mp4", ".m4a"),
        (EBML_WEBM, "video", "video/webm", ".webm"),
        (ogg_page(b"\x01vorbis\x00\x00\x00\x00\x01"), "audio", "audio/ogg", ".ogg"),
        (ogg_page(b"OpusHead\x01\x02"), "audio", "audio/ogg", ".ogg"),
        (ogg_page(b"\x80theora\x03\x02\x01"), "video", "video/ogg", ".ogv"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x21" + bytes(40), "audio", "audio/mpeg", ".mp3"),
        (MP3_FRAME, "audio", "audio/mpeg", ".mp3"),
        (WAV, "audio", "audio/wav", ".wav"),
        (FLAC, "audio", "audio/flac", ".flac"),
        (PDF, "doc", "application/pdf", ".pdf"),
    ],
)
def test_sniff_recognises_magic_bytes(head, kind, content_type, extension):
    assert sniff(head) == Sniffed(kind, content_type, extension)


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"\x89PNG",  # a signature cut short
        b"\xff\xd8",
        b"GIF88a" + bytes(10),
        b"just some text that someone renamed to cat.png\n",
        b"<html><body>hi</body></html>",
        b"RIFF\x24\x00\x00\x00AVI LIST",  # RIFF, but neither WebP nor WAVE
        ftyp(b"zzzz", b"yyyy"),  # an ISO box with no brand we know
        b"\xff\xf1\x50\x80\x02\x1f\xfc",  # ADTS AAC: layer bits 00 are not MPEG audio
        b"\xff\xfb\xf0\x64",  # MPEG frame with the forbidden bitrate index 15
        b"ID3",  # too short for a tag header
        bytes(64),
    ],
)
def test_sniff_says_none_for_unknown_content(head):
    assert sniff(head) is None


def test_sniff_reads_only_the_first_64_bytes():
    png = encode(gradient(4, 4), "PNG")
    assert sniff(bytes(64) + png) is None
    assert sniff(png[:64]) == sniff(png)


def test_results_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        sniff(PDF).kind = "image"
    with pytest.raises(dataclasses.FrozenInstanceError):
        process(encode(gradient(8, 8), "PNG")).kind = "video"


# --------------------------------------------------------------------------- images


def test_png_with_alpha_keeps_transparency_in_original_and_preview():
    im = gradient(1200, 800, "RGBA")
    im.putalpha(Image.linear_gradient("L").resize((1200, 800)))
    result = process(encode(im, "PNG"))

    assert (result.kind, result.content_type, result.extension) == ("image", "image/png", ".png")
    original = Image.open(io.BytesIO(result.original))
    assert original.format == "PNG" and original.mode == "RGBA" and original.size == (1200, 800)
    assert original.getchannel("A").getextrema() == (0, 255)
    assert result.small_content_type == "image/png"
    small = Image.open(io.BytesIO(result.small))
    assert small.format == "PNG" and small.mode == "RGBA" and small.size == (588, 392)
    assert result.meta == {
        "original": {"width": 1200, "height": 800, "size": "1200x800", "aspect": 1.5},
        "small": {"width": 588, "height": 392, "size": "588x392", "aspect": 1.5},
    }


def test_png_text_chunks_and_exif_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Doe")
    info.add_itxt("Location", "48.8566 N, 2.3522 E", zip=True)
    data = encode(gradient(64, 48), "PNG", pnginfo=info, exif=exif_with())
    assert b"Jane Doe" in data

    result = process(data)
    original = Image.open(io.BytesIO(result.original))
    assert b"Jane Doe" not in result.original and b"tEXt" not in result.original
    assert b"iTXt" not in result.original and b"eXIf" not in result.original
    assert original.text == {} and not original.getexif()


def test_palette_png_with_transparency_gives_a_png_preview():
    im = Image.new("P", (50, 30), 1)
    im.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    im.paste(0, (0, 0, 25, 30))
    result = process(encode(im, "PNG", transparency=0))
    original = Image.open(io.BytesIO(result.original))
    assert original.mode == "P" and original.info["transparency"] == 0
    assert result.small_content_type == "image/png"
    assert Image.open(io.BytesIO(result.small)).convert("RGBA").getpixel((40, 10))[3] == 255
    assert Image.open(io.BytesIO(result.small)).convert("RGBA").getpixel((5, 10))[3] == 0


def test_opaque_rgba_gets_a_jpeg_preview():
    result = process(encode(gradient(100, 80, "RGBA"), "PNG"))
    assert result.content_type == "image/png"
    assert Image.open(io.BytesIO(result.original)).mode == "RGBA"
    assert result.small_content_type == "image/jpeg"
    assert Image.open(io.BytesIO(result.small)).format == "JPEG"


def test_sixteen_bit_png_is_kept_and_previewed_without_clipping():
    im = Image.linear_gradient("L").resize((64, 64)).convert("I").point(lambda v: v * 257)
    im = im.convert("I;16")
    result = process(encode(im, "PNG"))
    assert Image.open(io.BytesIO(result.original)).mode.startswith("I")
    small = Image.open(io.BytesIO(result.small)).convert("L")
    low, high = small.getextrema()
    assert low < 20 and high > 230


def test_jpeg_orientation_is_applied_and_exif_with_gps_is_gone():
    data = encode(halves(40, 20, RED, BLUE), "JPEG", quality=95, exif=exif_with(orientation=6))
    before = Image.open(io.BytesIO(data)).getexif()
    assert before[0x0112] == 6 and before.get_ifd(0x8825)  # the fixture really has GPS

    result = process(data)
    assert (result.kind, result.content_type, result.extension) == ("image", "image/jpeg", ".jpg")
    original = Image.open(io.BytesIO(result.original))
    assert original.size == (20, 40)
    assert not original.getexif() and "exif" not in original.info
    assert b"Exif" not in result.original and b"SpyCam" not in result.original
    # Orientation 6: rotate 90 degrees clockwise, so the left (red) half is now on top.
    top, bottom = (
        original.convert("RGB").getpixel((10, 5)),
        original.convert("RGB").getpixel((10, 35)),
    )
    assert top[0] > 150 and top[2] < 100
    assert bottom[2] > 150 and bottom[0] < 100
    assert result.meta["original"] == {"width": 20, "height": 40, "size": "20x40", "aspect": 0.5}
    assert result.meta["small"] == result.meta["original"]
    assert Image.open(io.BytesIO(result.small)).size == (20, 40)


def test_jpeg_quality_stays_high_and_comments_are_dropped():
    im = gradient(300, 200)
    data = encode(im, "JPEG", quality=95, comment=b"shot at home")
    result = process(data)
    assert b"shot at home" not in result.original
    original = Image.open(io.BytesIO(result.original))
    assert "comment" not in original.info
    # Re-encoded at about quality 90: the luminance table is that of q90, not of q75.
    q90 = Image.open(io.BytesIO(encode(im, "JPEG", quality=90))).quantization
    assert original.quantization[0] == q90[0]


def test_icc_profile_is_kept():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = process(encode(gradient(900, 700), "JPEG", icc_profile=icc))
    assert Image.open(io.BytesIO(result.original)).info.get("icc_profile") == icc
    assert Image.open(io.BytesIO(result.small)).info.get("icc_profile") == icc


def test_cmyk_jpeg_is_processed():
    result = process(encode(gradient(120, 90, "CMYK"), "JPEG"))
    assert Image.open(io.BytesIO(result.original)).mode == "CMYK"
    assert Image.open(io.BytesIO(result.small)).mode == "RGB"
    assert result.blurhash


@pytest.mark.parametrize(
    ("size", "small"),
    [
        ((1200, 800), (588, 392)),
        ((800, 1200), (392, 588)),
        ((600, 600), (480, 480)),  # what a real Mastodon answered for a 600x600 upload
        ((2000, 1500), (554, 416)),
        ((640, 360), (640, 360)),  # exactly 230400 pixels: untouched
        ((300, 200), (300, 200)),  # small already: never enlarged
        ((5000, 100), (3394, 68)),
        ((20000, 12), (19596, 12)),  # a sliver: the height does not round away
    ],
)
def test_small_size_follows_mastodons_pixels_geometry(size, small):
    assert small_size(*size) == small


def test_preview_of_a_large_image_has_the_expected_size_and_ratio():
    result = process(encode(gradient(1200, 800), "JPEG"))
    small = Image.open(io.BytesIO(result.small))
    assert small.format == "JPEG" and small.size == (588, 392)
    assert result.small_content_type == "image/jpeg"
    assert result.meta["small"] == {"width": 588, "height": 392, "size": "588x392", "aspect": 1.5}


def test_small_images_are_never_upscaled():
    result = process(encode(gradient(30, 20), "PNG"))
    assert Image.open(io.BytesIO(result.small)).size == (30, 20)
    assert result.meta["small"]["size"] == "30x20"


def test_blurhash_has_mastodons_component_count_and_colour():
    result = process(encode(Image.new("RGB", (400, 300), (200, 30, 30)), "PNG"))
    assert isinstance(result.blurhash, str) and result.blurhash
    assert blurhash.components(result.blurhash) == (4, 4)
    assert result.blurhash[0] == "U"  # (4 - 1) + (4 - 1) * 9 = 30, base83 "U"
    assert len(result.blurhash) == 2 + 4 + 2 * 15
    # Characters 2-5 are the average colour, exactly, as 24-bit sRGB in base 83.
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
    average = 0
    for char in result.blurhash[2:6]:
        average = average * 83 + digits.index(char)
    assert average.to_bytes(3, "big") == bytes((200, 30, 30))


def test_blurhash_is_the_oriented_picture():
    data = encode(halves(80, 40, RED, BLUE), "JPEG", quality=95, exif=exif_with(orientation=6))
    decoded = blurhash.decode(process(data).blurhash, 4, 8)
    assert decoded[0][2][0] > decoded[0][2][2]  # red at the top
    assert decoded[7][2][2] > decoded[7][2][0]  # blue at the bottom


def test_single_frame_gif_is_an_image():
    result = process(encode(gradient(120, 80).convert("P"), "GIF"))
    assert (result.kind, result.content_type, result.extension) == ("image", "image/gif", ".gif")
    original = Image.open(io.BytesIO(result.original))
    assert original.format == "GIF" and original.size == (120, 80)
    assert not getattr(original, "is_animated", False)
    assert result.small_content_type == "image/jpeg"
    assert set(result.meta) == {"original", "small"}
    assert "duration" not in result.meta["original"]
    assert result.blurhash


def test_animated_gif_is_gifv_with_duration_and_frame_rate():
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255)]
    data = animated("GIF", colours, duration=100, loop=0, comment=b"made by Jane Doe")
    result = process(data)

    assert (result.kind, result.content_type, result.extension) == ("gifv", "image/gif", ".gif")
    assert result.meta["original"] == {
        "width": 60,
        "height": 40,
        "size": "60x40",
        "aspect": 1.5,
        "frame_rate": "10/1",
        "duration": 0.5,
    }
    assert result.meta["small"] == {"width": 60, "height": 40, "size": "60x40", "aspect": 1.5}
    # The GIF stays a GIF, with every frame and the loop, but without its comment.
    original = Image.open(io.BytesIO(result.original))
    assert original.n_frames == 5 and original.info.get("loop") == 0
    assert b"Jane Doe" in data and b"Jane Doe" not in result.original
    # The preview is the first frame.
    assert result.small_content_type == "image/jpeg"
    r, g, b = Image.open(io.BytesIO(result.small)).getpixel((30, 20))
    assert r > 200 and g < 60 and b < 60
    assert blurhash.components(result.blurhash) == (4, 4)


def test_gif_frame_rate_is_the_base_rate_of_uneven_delays():
    data = animated("GIF", [(255, 0, 0), (0, 255, 0), (0, 0, 255)], duration=[100, 50, 100])
    meta = process(data).meta
    assert meta["original"]["frame_rate"] == "20/1"
    assert meta["original"]["duration"] == 0.25


def test_gif_delays_under_two_centiseconds_count_as_ten():
    data = animated("GIF", [(255, 0, 0), (0, 255, 0)], duration=0)
    assert process(data).meta["original"]["duration"] == 0.2


def test_gif_xmp_application_extension_is_dropped_and_loop_kept():
    data = animated("GIF", [(255, 0, 0), (0, 255, 0)], duration=100, loop=0)
    xmp = b"\x21\xff\x0bXMP DataXMP" + b"\x07<x:xmp>" + b"\x00"
    at = data.index(b"\x21\xf9")  # before the first graphic control extension
    result = process(data[:at] + xmp + data[at:])
    assert b"XMP DataXMP" not in result.original
    assert b"NETSCAPE2.0" in result.original
    assert result.kind == "gifv"


def test_animated_webp_is_gifv():
    data = animated(
        "WEBP",
        [(255, 0, 0), (0, 255, 0), (0, 0, 255)],
        duration=[100, 100, 50],
        exif=exif_with().tobytes(),
    )
    assert b"EXIF" in data
    result = process(data)
    assert (result.kind, result.content_type, result.extension) == ("gifv", "image/webp", ".webp")
    assert result.meta["original"]["frame_rate"] == "20/1"
    assert result.meta["original"]["duration"] == 0.25
    original = Image.open(io.BytesIO(result.original))
    assert original.n_frames == 3 and not original.getexif()
    assert b"EXIF" not in result.original
    assert result.small_content_type == "image/jpeg"


def test_animated_png_is_gifv():
    data = animated("PNG", [(255, 0, 0), (0, 255, 0), (0, 0, 255), (9, 9, 9)], duration=40)
    result = process(data)
    assert (result.kind, result.content_type, result.extension) == ("gifv", "image/png", ".png")
    assert result.meta["original"]["frame_rate"] == "25/1"
    assert result.meta["original"]["duration"] == 0.16
    assert Image.open(io.BytesIO(result.original)).n_frames == 4


def test_still_webp_is_reencoded_as_webp_without_exif():
    data = encode(gradient(320, 200), "WEBP", quality=90, exif=exif_with().tobytes())
    result = process(data)
    assert (result.kind, result.content_type, result.extension) == ("image", "image/webp", ".webp")
    original = Image.open(io.BytesIO(result.original))
    assert original.format == "WEBP" and original.size == (320, 200)
    assert not original.getexif() and b"EXIF" not in result.original
    assert result.small_content_type == "image/jpeg"
    assert result.meta["original"]["size"] == "320x200"


def test_lossless_webp_stays_lossless_with_alpha():
    im = gradient(64, 64, "RGBA")
    im.putalpha(128)
    result = process(encode(im, "WEBP", lossless=True))
    assert b"VP8L" in result.original
    assert Image.open(io.BytesIO(result.original)).getpixel((10, 10)) == im.getpixel((10, 10))
    assert result.small_content_type == "image/png"


@pytest.mark.skipif(not features.check("avif"), reason="Pillow built without AVIF")
def test_avif_becomes_jpeg_like_on_mastodon():
    result = process(encode(gradient(300, 200), "AVIF"))
    assert (result.kind, result.content_type, result.extension) == ("image", "image/jpeg", ".jpg")
    assert Image.open(io.BytesIO(result.original)).format == "JPEG"
    assert result.meta["original"]["size"] == "300x200"


@pytest.mark.skipif(not features.check("avif"), reason="Pillow built without AVIF")
def test_avif_with_transparency_becomes_png():
    im = gradient(64, 64, "RGBA")
    im.putalpha(Image.linear_gradient("L").resize((64, 64)))
    result = process(encode(im, "AVIF"))
    assert (result.content_type, result.extension) == ("image/png", ".png")
    assert Image.open(io.BytesIO(result.original)).mode == "RGBA"


def test_heic_without_a_decoder_is_unsupported():
    Image.init()
    if "HEIF" in Image.OPEN:
        pytest.skip("a HEIF plugin is registered")
    with pytest.raises(MediaRejected) as err:
        process(ftyp(b"heic", b"mif1", b"heic") + bytes(200))
    assert (err.value.message, err.value.code) == (UNSUPPORTED, "unsupported")


# --------------------------------------------------------------------------- other kinds


@pytest.mark.parametrize(
    ("data", "kind", "content_type"),
    [
        (ftyp(b"isom", b"isom", b"avc1") + bytes(500), "video", "video/mp4"),
        (ftyp(b"qt  ", b"qt  ") + bytes(500), "video", "video/quicktime"),
        (EBML_WEBM + bytes(500), "video", "video/webm"),
        (ogg_page(b"\x80theora\x03\x02\x01") + bytes(500), "video", "video/ogg"),
        (MP3_FRAME + bytes(500), "audio", "audio/mpeg"),
        (ogg_page(b"OpusHead\x01\x02") + bytes(500), "audio", "audio/ogg"),
        (WAV + bytes(500), "audio", "audio/wav"),
        (FLAC + bytes(500), "audio", "audio/flac"),
    ],
)
def test_video_and_audio_pass_through_unchanged(data, kind, content_type):
    result = process(data)
    assert result == Processed(
        kind=kind,
        content_type=content_type,
        extension=sniff(data).extension,
        original=data,
        small=None,
        small_content_type=None,
        meta={},
        blurhash=None,
    )


def test_pdf_is_a_doc_only_when_allowed():
    with pytest.raises(MediaRejected) as err:
        process(PDF)
    assert (err.value.message, err.value.code) == (UNSUPPORTED, "unsupported")
    result = process(PDF, allow=ALL_KINDS)
    assert (result.kind, result.content_type, result.extension) == (
        "doc",
        "application/pdf",
        ".pdf",
    )
    assert result.original == PDF and result.meta == {} and result.small is None


def test_unknown_content_is_kept_only_when_unknown_is_allowed():
    data = b"plain text, nothing more\n"
    result = process(data, allow=frozenset({"unknown"}))
    assert (result.kind, result.content_type, result.original) == (
        "unknown",
        "application/octet-stream",
        data,
    )


# --------------------------------------------------------------------------- rejections


def rejected(data, **kwargs):
    with pytest.raises(MediaRejected) as err:
        process(data, **kwargs)
    return err.value.message, err.value.code


def test_media_rejected_carries_message_and_code():
    err = MediaRejected("Validation failed: File content type is invalid", "unsupported")
    assert str(err) == err.message == UNSUPPORTED and err.code == "unsupported"
    assert isinstance(err, Exception)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is a text file someone renamed to cat.png\n",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        encode(gradient(8, 8), "BMP"),
        encode(gradient(8, 8), "TIFF"),
        b"MZ\x90\x00" + bytes(100),  # a Windows executable
    ],
)
def test_unknown_content_is_unsupported(data):
    assert rejected(data) == (UNSUPPORTED, "unsupported")


def test_kinds_outside_allow_are_unsupported():
    gif = animated("GIF", [(255, 0, 0), (0, 255, 0)], duration=100)
    still = encode(gradient(8, 8), "PNG")
    mp4 = ftyp(b"isom", b"isom") + bytes(100)
    assert rejected(gif, allow=frozenset({"image"})) == (UNSUPPORTED, "unsupported")
    assert rejected(still, allow=frozenset({"gifv"})) == (UNSUPPORTED, "unsupported")
    assert rejected(still, allow=frozenset({"video", "audio"})) == (UNSUPPORTED, "unsupported")
    assert rejected(mp4, allow=frozenset({"image", "gifv"})) == (UNSUPPORTED, "unsupported")
    assert rejected(MP3_FRAME, allow=frozenset({"video"})) == (UNSUPPORTED, "unsupported")
    assert process(gif, allow=frozenset({"gifv"})).kind == "gifv"


def test_image_over_the_default_limit_is_too_large():
    data = png_header(100, 100) + bytes(IMAGE_LIMIT)
    assert rejected(data) == (
        "Validation failed: File file size must be less than 16 MB",
        "too_large",
    )


def test_video_over_the_default_limit_is_too_large():
    data = ftyp(b"isom", b"isom") + bytes(OTHER_LIMIT)
    assert rejected(data) == (
        "Validation failed: File file size must be less than 100 MB",
        "too_large",
    )


def test_limits_depend_on_the_kind():
    noise = encode(Image.effect_noise((700, 700), 80).convert("RGB"), "PNG")
    assert len(noise) > MIB
    message = ("Validation failed: File file size must be less than 1 MB", "too_large")
    assert rejected(noise, image_limit=MIB, other_limit=50 * MIB) == message
    # GIFs count as images, even animated ones.
    gif = b"GIF89a" + bytes(MIB)
    assert rejected(gif, image_limit=MIB, other_limit=50 * MIB) == message
    # Video and audio use the other limit only.
    mp4 = ftyp(b"isom", b"isom") + bytes(2 * MIB)
    assert process(mp4, image_limit=MIB, other_limit=3 * MIB).kind == "video"
    assert rejected(mp4, image_limit=50 * MIB, other_limit=2 * MIB) == (
        "Validation failed: File file size must be less than 2 MB",
        "too_large",
    )


def test_a_file_exactly_at_the_limit_is_accepted_and_one_byte_more_is_not():
    mp4 = ftyp(b"isom", b"isom")
    mp4 += bytes(MIB - len(mp4))
    assert process(mp4, other_limit=MIB).kind == "video"
    assert rejected(mp4 + b"\x00", other_limit=MIB) == (
        "Validation failed: File file size must be less than 1 MB",
        "too_large",
    )


@pytest.mark.parametrize(
    "header",
    [
        png_header(7681, 4320),  # one column over 7680x4320
        png_header(100_000, 100_000),  # so big that Pillow's own guard fires first
        jpeg_header(6000, 6000),
        jpeg_header(65_000, 65_000),
        b"GIF89a" + struct.pack("<HHBBB", 65_535, 65_535, 0, 0, 0) + b"\x2c" + bytes(20),
    ],
)
def test_dimensions_over_the_matrix_limit_are_refused_before_decoding(header):
    assert rejected(header) == (DIMENSIONS, "too_large")


def test_exactly_the_matrix_limit_is_not_too_large():
    assert 7680 * 4320 == MAX_PIXELS
    # The header passes the dimension check; with no pixel data behind it, it is corrupt.
    assert rejected(png_header(7680, 4320)) == (CORRUPT, "corrupt")


def test_pillow_global_guards_are_left_alone():
    before = Image.MAX_IMAGE_PIXELS
    rejected(png_header(100_000, 100_000))
    rejected(encode(gradient(100, 100), "JPEG")[:500])
    process(encode(gradient(100, 100), "JPEG"))
    assert Image.MAX_IMAGE_PIXELS == before
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_corrupt_images():
    png = encode(gradient(200, 150), "PNG")
    jpeg = encode(gradient(200, 150), "JPEG")
    progressive = encode(gradient(200, 150), "JPEG", progressive=True)
    gif = encode(gradient(200, 150).convert("P"), "GIF")
    webp = encode(gradient(200, 150), "WEBP")
    flipped = bytearray(png)
    flipped[len(png) // 2] ^= 0xFF  # inside IDAT: the CRC no longer matches
    cases = {
        "garbage after a PNG signature": b"\x89PNG\r\n\x1a\n" + b"this is not a PNG " * 8,
        "truncated PNG": png[: len(png) - 30],
        "PNG without IEND": png[:-12],
        "PNG with a damaged IDAT": bytes(flipped),
        "truncated JPEG": jpeg[: len(jpeg) // 2],
        "JPEG without its last bytes": jpeg[:-2],
        "truncated progressive JPEG": progressive[: len(progressive) * 3 // 4],
        "JPEG signature then garbage": b"\xff\xd8\xff" + b"\x00garbage" * 20,
        "truncated GIF": gif[: len(gif) // 2],
        "GIF with no frame": gif[: 13 + 768] + b";",
        "truncated WebP": webp[: len(webp) - 40],
        "WebP header only": webp[:20],
    }
    for name, data in cases.items():
        assert rejected(data) == (CORRUPT, "corrupt"), name


def test_truncation_is_caught_even_if_someone_set_load_truncated_images(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    im = gradient(200, 150)
    for data in [
        encode(im, "JPEG"),
        encode(im, "JPEG", progressive=True),
        encode(im, "PNG"),
        encode(im.convert("P"), "GIF"),
        encode(im, "WEBP"),
    ]:
        assert rejected(data[: len(data) * 2 // 3]) == (CORRUPT, "corrupt"), data[:4]
    # An EXIF thumbnail carries its own SOS and EOI; they must not vouch for the main image.
    exif = exif_with()
    with_thumb = encode(
        gradient(200, 150), "JPEG", exif=exif.tobytes() + encode(gradient(8, 8), "JPEG")
    )
    assert rejected(with_thumb[: len(with_thumb) - 200]) == (CORRUPT, "corrupt")


def test_a_truncated_jpeg_is_detected_at_every_offset():
    jpeg = encode(gradient(120, 90), "JPEG")
    for cut in range(3, len(jpeg)):
        assert rejected(jpeg[:cut])[1] in {"corrupt", "unsupported"}, cut


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the mangled EXIF
def test_nothing_but_media_rejected_ever_escapes():
    """Random bytes, each real image cut at every tenth byte, and random byte flips."""
    rng = random.Random(20250101)
    samples = [
        encode(gradient(90, 60, "RGBA"), "PNG"),
        encode(gradient(90, 60), "JPEG", exif=exif_with(orientation=6)),
        encode(gradient(90, 60), "JPEG", progressive=True),
        encode(gradient(90, 60).convert("P"), "GIF"),
        animated("GIF", [(255, 0, 0), (0, 255, 0), (0, 0, 255)], duration=100, loop=0),
        animated("PNG", [(255, 0, 0), (0, 255, 0)], duration=100),
        animated("WEBP", [(255, 0, 0), (0, 255, 0)], duration=100),
        encode(gradient(90, 60), "WEBP"),
    ]
    inputs = [rng.randbytes(rng.randint(0, 400)) for _ in range(300)]
    # Random bytes behind each signature, so the image decoders see garbage too.
    inputs += [s[: rng.randint(1, 20)] + rng.randbytes(rng.randint(0, 200)) for s in samples * 10]
    for sample in samples:
        inputs += [sample[:cut] for cut in range(0, len(sample), 10)]
        for _ in range(30):
            mutated = bytearray(sample)
            for _ in range(rng.randint(1, 3)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            inputs.append(bytes(mutated))
    outcomes = set()
    for data in inputs:
        try:
            result = process(data, allow=ALL_KINDS)
        except MediaRejected as err:
            assert err.code in {"too_large", "unsupported", "corrupt"}
            outcomes.add(err.code)
            continue
        assert isinstance(result, Processed)
        if result.kind in ("image", "gifv"):
            assert Image.open(io.BytesIO(result.original)).size
            assert Image.open(io.BytesIO(result.small)).size
            assert blurhash.components(result.blurhash) == (4, 4)
        outcomes.add(result.kind)
    assert {"corrupt", "unsupported", "image"} <= outcomes


# --------------------------------------------------------------------------- housekeeping


def test_a_2000x1500_jpeg_is_processed_well_under_a_second():
    data = encode(gradient(2000, 1500), "JPEG", quality=92, exif=exif_with(orientation=6))
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        result = process(data)
        timings.append(time.perf_counter() - start)
    assert result.meta["original"]["size"] == "1500x2000"
    assert result.meta["small"]["size"] == "416x554"
    assert min(timings) < 1.0


def test_the_module_imports_without_django():
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import sys, media.processing as p; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'; "
        "print(p.process(p.__doc__.encode(), allow=frozenset({'unknown'})).kind)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "unknown"


def test_module_docstring_first_line():
    import media.processing

    assert media.processing.__doc__.splitlines()[0] == (
        "What an uploaded file really is, and the renditions, meta and blurhash Mastodon shows for it."
    )
