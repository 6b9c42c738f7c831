"""Avatars and headers uploaded through update_credentials: checked by the media pipeline
(media/processing.py: what the bytes really are, size and pixel limits, decoding, metadata
stripped), then a still image is cropped to fill Mastodon's geometry (avatar 400x400, header
1500x500, `#` in Paperclip's terms). Animated images keep their animation as processed."""

import io

from django.conf import settings
from PIL import Image, ImageOps

from accounts.services import ProfileImage
from config import errors
from media import processing

GEOMETRY = {"avatar": (400, 400), "header": (1500, 500)}
PIL_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
_MIB = 1024 * 1024


def profile_image(upload, *, kind: str) -> ProfileImage:
    """The stored rendition of an uploaded `kind` ("avatar" or "header"); errors.Invalid with
    Mastodon's attachment messages when the file is not an image it takes."""
    label = kind.capitalize()
    limit = settings.PROFILE_IMAGE_LIMIT
    if upload.size > limit:
        raise errors.Invalid(f"{label} file size must be less than {limit // _MIB} MB")
    try:
        processed = processing.process(upload.read(), image_limit=limit,
                                       allow=frozenset({"image", "gifv"}))
    except processing.MediaRejected as exc:
        if exc.code == "too_large":
            raise errors.Invalid(f"{label} file size must be less than {limit // _MIB} MB") from None
        raise errors.Invalid(f"{label} content type is invalid") from None
    if processed.kind != "image" or processed.extension not in PIL_FORMATS:
        return ProfileImage(processed.original, processed.extension)
    with Image.open(io.BytesIO(processed.original)) as image:
        image.load()
        fitted = ImageOps.fit(image, GEOMETRY[kind], method=Image.Resampling.LANCZOS)
        if processed.extension == ".jpg" and fitted.mode not in ("RGB", "L"):
            fitted = fitted.convert("RGB")
        out = io.BytesIO()
        options = {"quality": 90} if processed.extension in (".jpg", ".webp") else {}
        icc = image.info.get("icc_profile")
        if icc:
            options["icc_profile"] = icc
        fitted.save(out, PIL_FORMATS[processed.extension], **options)
    return ProfileImage(out.getvalue(), processed.extension)
