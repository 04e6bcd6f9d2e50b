"""What a file attached to a record goes through before it is stored (issue 15), with no database in sight.

- Its type is read from its first bytes, never from its name or the browser's claim: JPEG, PNG, WebP,
  HEIC/HEIF (the phones' photos) or PDF. Anything else — HTML, SVG, a script, PostScript/EPS, a ``.jpg`` that
  is any of those — is refused, and so is an empty file or one over the size limit.
- A photo is opened by the one Pillow decoder its type names (never a guess among all of Pillow's formats),
  its pixels counted from its header, and refused above :data:`MAX_PIXELS` before a pixel is decoded (a
  decompression bomb: a 50 KB PNG can claim 20000 × 20000 pixels, 400 MB once decoded). Then it is decoded
  whole (a cut-short or damaged photo is refused), turned upright by its EXIF orientation, and re-encoded
  twice: a display copy at most :data:`DISPLAY_SIDE` px and a thumbnail at most :data:`THUMBNAIL_SIDE` px,
  JPEG in sRGB, with no EXIF, no colour profile, no metadata at all (no position, no device). Its EXIF claims
  (when it was taken, where) are read from the original, to be shown beside the server's own time.
- A PDF is opened with pypdf and its pages counted; one that will not open, or only with a password, is
  refused. Its first page is drawn as the thumbnail by PDFium where it can be; otherwise it has none.

The libraries that only HEIC photos and PDFs need are loaded when the first such file comes (pillow-heif,
pypdf and pypdfium2 add about 160 ms to a command that never sees one).
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from io import BytesIO
from typing import Any

from PIL import ExifTags, Image, ImageCms, ImageFile, ImageOps

MAX_PIXELS = 80_000_000
"""A photo of more pixels (80 megapixels; a phone's largest are about 50) is refused before it is decoded."""
DISPLAY_SIDE = 2048
THUMBNAIL_SIDE = 320

JPEG, PNG, WEBP, HEIC, HEIF, PDF = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif",
                                    "application/pdf")
PHOTO_DECODERS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "HEIF", HEIF: "HEIF"}
"""The one Pillow decoder each type of photo is opened with."""
TYPE_NAMES = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", HEIC: "HEIC", HEIF: "HEIF", PDF: "PDF"}
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
# What Pillow and its plugins raise on a file they cannot decode (a damaged or cut-short one among them).
_UNDECODABLE = (OSError, SyntaxError, ValueError, EOFError, RuntimeError, TypeError, IndexError, KeyError,
                Image.DecompressionBombError, Image.DecompressionBombWarning)
_pdfium = threading.Lock()  # PDFium is not thread-safe, and the app serves every browser from threads


class FileRefused(ValueError):
    """The file cannot be attached: ``code`` names the problem (models/messages.py), ``params`` its details."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, Any] = params


@dataclass(frozen=True)
class Claims:
    """What a photo's EXIF says of it: a claim to show, not a fact the server saw."""

    taken_at: datetime | None = None  # DateTimeOriginal: the camera's clock, no zone
    gps: str | None = None  # "lat,lon" in decimal degrees


@dataclass(frozen=True)
class ExaminedFile:
    """A file that passed every check, with the copies made of it."""

    original: bytes
    media_type: str
    sha256: str
    display: bytes | None = None  # a photo's; a PDF is shown whole
    thumbnail: bytes | None = None  # a photo's; a PDF's first page where PDFium could draw it
    width: int | None = None  # a photo's, upright
    height: int | None = None
    page_count: int | None = None  # a PDF's
    claims: Claims = field(default_factory=Claims)

    @property
    def is_photo(self) -> bool:
        return self.media_type in PHOTO_DECODERS


def examine(data: bytes, *, max_bytes: int) -> ExaminedFile:
    """Check one file and make its copies; :class:`FileRefused` says why it cannot be attached."""
    if not data:
        raise FileRefused("attachment_empty")
    if len(data) > max_bytes:
        raise FileRefused("attachment_too_large", size=megabytes(len(data)), limit=megabytes(max_bytes))
    media_type = sniffed_type(data)
    if media_type is None:
        raise FileRefused("attachment_type")
    if media_type == PDF:
        return _examine_pdf(data)
    return _examine_photo(data, media_type)


def sniffed_type(data: bytes) -> str | None:
    """The media type the file's first bytes show, among those that may be attached; None for any other."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _HEIC_BRANDS:
            return HEIC
        if brand in _HEIF_BRANDS:
            return HEIF
    if data.startswith(b"%PDF-"):
        return PDF
    return None


def megabytes(size: int) -> str:
    """A size as the messages give it: megabytes with one decimal, none when whole."""
    return f"{size / 1024 / 1024:,.1f}".removesuffix(".0")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- photos ---------------------------------------------------------------------------------------


def _examine_photo(data: bytes, media_type: str) -> ExaminedFile:
    if media_type in (HEIC, HEIF):
        _register_heif()
    unreadable = FileRefused("attachment_unreadable", kind=TYPE_NAMES[media_type])
    # a library may have told Pillow to accept truncated images for the whole process (WeasyPrint's import does):
    # a photo cut short is refused whatever was imported before
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(BytesIO(data), formats=[PHOTO_DECODERS[media_type]]) as image:
            _refuse_too_many_pixels(image.size)
            image.load()
            claims = photo_claims(image.getexif())
            ImageOps.exif_transpose(image, in_place=True)
            width, height = image.size
            display = _clean_copy(image, DISPLAY_SIDE, quality=85)
    except FileRefused:
        raise
    except Image.DecompressionBombError:  # Pillow's own limit (179 megapixels), met while the header is read
        raise _too_many_pixels() from None
    except _UNDECODABLE:
        raise unreadable from None
    thumbnail = _clean_copy(Image.open(BytesIO(display)), THUMBNAIL_SIDE, quality=80)
    return ExaminedFile(original=data, media_type=media_type, sha256=_sha256(data), display=display,
                        thumbnail=thumbnail, width=width, height=height, claims=claims)


@cache
def _register_heif() -> None:
    """Pillow opens HEIC and HEIF photos once pillow-heif has registered its decoder (format "HEIF")."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def _refuse_too_many_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> FileRefused:
    return FileRefused("attachment_too_many_pixels", limit=f"{MAX_PIXELS / 1e6:,.0f}")


def _clean_copy(image: Image.Image, side: int, *, quality: int) -> bytes:
    """``image`` at most ``side`` px on its longest side, as a JPEG in sRGB that carries nothing but pixels.
    An ``image`` already in sRGB is shrunk in place (a 12-megapixel photo is not copied once more)."""
    pixels = _srgb(image)
    pixels.thumbnail((side, side), Image.Resampling.LANCZOS)
    bare = Image.new("RGB", pixels.size, "white")  # a new image: none of the original's info (EXIF, ICC, XMP)
    bare.paste(pixels, mask=pixels.getchannel("A") if pixels.mode == "RGBA" else None)
    out = BytesIO()
    bare.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _srgb(image: Image.Image) -> Image.Image:
    """The image's colours in sRGB (as RGB, or RGBA when it has transparency): a phone's wide-gamut (Display P3)
    or a CMYK photo would look dull or wrong once its colour profile is left out of the copies."""
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "CMYK"):
        try:
            converted = ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(BytesIO(profile)),
                                                  ImageCms.createProfile("sRGB"), outputMode="RGB")
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: the pixels as they are
    mode = "RGBA" if transparent else "RGB"
    return image if image.mode == mode else image.convert(mode)


def photo_claims(exif: Image.Exif) -> Claims:
    """When and where the photo says it was taken (EXIF DateTimeOriginal and GPS); None for what it does not
    say, or says in a form that cannot be read."""
    try:
        taken = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except _UNDECODABLE:
        return Claims()
    return Claims(taken_at=_exif_time(taken), gps=_exif_position(gps))


def _exif_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def _exif_position(gps: Mapping[int, Any]) -> str | None:
    latitude = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
    longitude = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        return None
    return f"{latitude:.6f},{longitude:.6f}"


def _degrees(value: object, reference: object, negative: str) -> float | None:
    """EXIF's (degrees, minutes, seconds) as signed decimal degrees."""
    try:
        degrees, minutes, seconds = (float(part) for part in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(decimal):
        return None
    sign = -1 if isinstance(reference, str) and reference.strip("\x00 ").upper() == negative else 1
    return sign * decimal


# --- PDF documents --------------------------------------------------------------------------------


def _examine_pdf(data: bytes) -> ExaminedFile:
    pages = _pdf_pages(data)
    return ExaminedFile(original=data, media_type=PDF, sha256=_sha256(data), page_count=pages,
                        thumbnail=_first_page_thumbnail(data))


def _pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF that opens without a password; :class:`FileRefused` for any other."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(BytesIO(data))
        # A PDF "encrypted" with an empty password (for its permissions only) opens in any viewer: it is let in.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise FileRefused("attachment_pdf_protected")
        pages = len(reader.pages)
    except FileRefused:
        raise
    except DependencyError:
        raise FileRefused("attachment_pdf_protected") from None
    except Exception:  # pypdf raises many kinds of error on a damaged file; each means it cannot be read
        raise FileRefused("attachment_unreadable", kind=TYPE_NAMES[PDF]) from None
    if pages < 1:
        raise FileRefused("attachment_unreadable", kind=TYPE_NAMES[PDF])
    return pages


def _first_page_thumbnail(data: bytes) -> bytes | None:
    """The PDF's first page drawn at most :data:`THUMBNAIL_SIDE` px, by PDFium; None where it cannot be."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    with _pdfium:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return None
        try:
            page = document[0]
            width, height = page.get_size()
            picture = page.render(scale=THUMBNAIL_SIDE / max(width, height, 1)).to_pil()
        except (pdfium.PdfiumError, *_UNDECODABLE):
            return None
        finally:
            document.close()
    return _clean_copy(picture, THUMBNAIL_SIDE, quality=80)
