"""What a phone writes into a photo, for the tests that attach one: its EXIF with the way it was held, the time it
was taken, where (GPS, a place in Hangzhou) and the device."""

from __future__ import annotations

from datetime import datetime

from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

PHONE_GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (IFDRational(30), IFDRational(15), IFDRational(36)),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (IFDRational(120), IFDRational(9), IFDRational(0)),
}


def phone_exif(taken_at: datetime, *, orientation: int = 6, make: str = "Huawei") -> Image.Exif:
    """A phone's EXIF: held upright, so stored sideways with Orientation 6 unless told otherwise."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = make
    exif[ExifTags.Base.Model] = "Mate 60"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    for tag, value in PHONE_GPS.items():
        gps[tag] = value
    return exif
