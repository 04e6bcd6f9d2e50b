"""The CJK font the briefing typesets with and the demo park's drawn photos are lettered in, found offline:
Debian's fonts-noto-cjk through fontconfig, else any Noto Sans CJK file under the system's font folders.

Here, not in ``dashboard/briefing/``, so that finding it does not load the briefing's libraries (WeasyPrint:
seconds); ``dashboard.briefing.fonts`` passes it on to the pages that import it from there."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

FAMILY = "Noto Sans CJK SC"
FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")


class FontMissing(RuntimeError):
    """No CJK font on this machine: Chinese would print as empty boxes."""


@cache
def cjk_font_file() -> Path:
    """The file of Noto Sans CJK (Simplified Chinese); raises :class:`FontMissing` naming the package to install."""
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}|%{family}", FAMILY], capture_output=True, text=True,
                               check=False).stdout
        file, _, family = found.partition("|")
        if "CJK" in family and Path(file).is_file():
            return Path(file)
    for folder in FONT_FOLDERS:
        if folder.is_dir():
            for candidate in sorted(folder.rglob("NotoSansCJK*")):
                if candidate.suffix.lower() in (".ttc", ".otf", ".ttf"):
                    return candidate
    raise FontMissing(f"no Chinese font found ({FAMILY}): install Debian's fonts-noto-cjk")
