"""Make the sandbox page's fonts (bot/sandbox/static/fonts), so it reads the same on a bare machine.

Run once by a developer when the sources change; the results are committed (the package ships them):

    apt-get install fonts-noto-color-emoji        # Debian: Noto Color Emoji (OFL-1.1)
    npm pack vazirmatn@33.0.3 && tar xzf vazirmatn-33.0.3.tgz   # Vazirmatn (OFL-1.1; not in Debian 12)
    pip install fonttools                          # pyftsubset
    python tools/sandbox_fonts.py package/        # the unpacked npm package

Vazirmatn is copied whole (its variable woff2, 111 kB: Persian, Arabic and Latin, every weight). Noto
Color Emoji is 11 MB of colour bitmaps: it is subset to the emoji this project's texts use (found in
bot/ and handlers/) and a list of the emoji a news channel commonly uses (COMMON), some 470 kB.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "bot" / "sandbox" / "static" / "fonts"
NOTO_EMOJI = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
NOTO_LICENSE = Path("/usr/share/doc/fonts-noto-color-emoji/copyright")
# Emoji a Persian news channel and its editors commonly use, beyond those of the project's own texts.
COMMON = (
    "🔴🟠🟡🟢🔵🟣⚫⚪🟥🟧🟨🟩🟦🟪⬛⬜🔘❗❕❓❔‼⁉💯✔☑✅❎➕➖✖➗"
    "🔔🔕📢📣📡📺📻☎📞📱💻🖥⌚⏳⌛📅📆🗓📊📈📉💰💵💶💷💸💳🏦🏛⚖🗳"
    "🌍🌎🌏🌐🗺🏠🏥🏫🏭🏗🚗🚕🚌🚑🚒🚓✈🚆🚇🚢⛽🔥💧🌊☀🌤⛅☁🌧⛈🌩❄🌨🌪🌫🌡🌈☔⚡"
    "🌱🌳🌷🌹🍎🍞🍚🍅⚽🏀🏐🏆🥇🥈🥉🏅🎖🎉🎊🎁🎈🎥🎞📸🎙🎤🎧🎵🎶📚📖✍🖊💡🔑🔒🔓🔗"
    "👍👎👏🙌🤝✌👉👇👆☝😀😃😄😁😊🙂😉😍🥰😂🤣😢😭😡😠😱😨😰😔😞🤔🙄😐😮😲🥺😇🤗🤩😎"
    "❤💔💙💚💛🧡💜🖤🤍⭐🌟✨💥💫🕊🆕🆓🆗🆘ℹ⬆⬇⬅➡🇮🇷"
)
# Joiners and selectors, so sequences (❤️, 🇮🇷) keep their glyphs.
JOINERS = "\ufe0f\u200d"


def project_emoji() -> set[str]:
    """Pictographs in the project's sources: the bot's messages, the page, the sample archive."""
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".js", ".html", ".jsonl", ".txt"} and path.is_file():
                found.update(c for c in path.read_text(encoding="utf-8") if _pictograph(ord(c)))
    return found


def _pictograph(code: int) -> bool:
    return 0x1F000 <= code <= 0x1FAFF or 0x2190 <= code <= 0x2BFF or code in (0x3030, 0x303D, 0x3297, 0x3299)


def main(vazirmatn: Path) -> int:
    FONTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(vazirmatn / "fonts" / "webfonts" / "Vazirmatn[wght].woff2", FONTS / "Vazirmatn.woff2")
    shutil.copyfile(vazirmatn / "OFL.txt", FONTS / "Vazirmatn-OFL.txt")
    wanted = project_emoji() | set(COMMON) | set(JOINERS)
    unicodes = ",".join(f"U+{ord(c):04X}" for c in sorted(wanted))
    subset = FONTS / "NotoColorEmoji-subset.ttf"
    subprocess.run(
        ["pyftsubset", str(NOTO_EMOJI), f"--unicodes={unicodes}", f"--output-file={subset}",
         "--layout-features=*", "--no-hinting"],
        check=True,
    )  # fmt: skip
    shutil.copyfile(NOTO_LICENSE, FONTS / "NotoColorEmoji-LICENSE.txt")
    for path in sorted(FONTS.iterdir()):
        print(f"{path.stat().st_size:>9,}  {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: tools/sandbox_fonts.py UNPACKED_VAZIRMATN_NPM_PACKAGE", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1])))
