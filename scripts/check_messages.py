"""Check the English translation: every interface string extracted, translated, and compiled.

Fails (exit 1) naming the strings when the catalogue is stale (run `make messages`), when a string has no
English translation or is marked fuzzy, or when the compiled .mo does not match the .po.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "kunlu"
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
KUNLU = ROOT / ".venv" / "bin" / "kunlu"


def entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every entry of a .po file, plural forms joined, header left out."""
    result: list[tuple[str, str, bool]] = []
    msgid: list[str] = []
    msgstr: list[str] = []
    fuzzy = False
    current: list[str] | None = None

    def flush() -> None:
        nonlocal msgid, msgstr, fuzzy
        if msgid and "".join(msgid):
            result.append(("".join(msgid), "".join(msgstr), fuzzy))
        msgid, msgstr, fuzzy = [], [], False

    for line in [*text.splitlines(), ""]:
        if not line.strip():
            flush()
            current = None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid_plural"):
            current = msgid
            msgid.append("\x00" + line.split(" ", 1)[1].strip()[1:-1])
        elif line.startswith("msgid "):
            current = msgid
            msgid.append(line[6:].strip()[1:-1])
        elif line.startswith("msgstr"):
            current = msgstr
            msgstr.append(("\x00" if msgstr else "") + line.split(" ", 1)[1].strip()[1:-1])
        elif line.startswith('"') and current is not None:
            current.append(line.strip()[1:-1])
    return result


def main() -> int:
    if not PO.exists():
        print(f"missing {PO.relative_to(ROOT)}: run `make messages`")
        return 1
    committed = PO.read_text()
    committed_mo = MO.read_bytes() if MO.exists() else b""
    try:
        subprocess.run(
            [str(KUNLU), "manage", "makemessages", "-l", "en", "--no-obsolete", "--no-location", "-v", "0"],
            cwd=PACKAGE,
            check=True,
        )
        fresh = PO.read_text()
    finally:
        PO.write_text(committed)
    problems = []
    known = {msgid for msgid, _s, _f in entries(committed)}
    missing = [msgid for msgid, _s, _f in entries(fresh) if msgid not in known]
    problems += [f"not in the catalogue (run `make messages`): {m!r}" for m in missing]
    for msgid, msgstr, fuzzy in entries(committed):
        if fuzzy:
            problems.append(f"fuzzy translation: {msgid!r}")
        elif not msgstr.replace("\x00", "").strip():
            problems.append(f"no English translation: {msgid!r}")
    with tempfile.TemporaryDirectory() as tmp:
        compiled = Path(tmp) / "django.mo"
        subprocess.run([shutil.which("msgfmt") or "msgfmt", "-o", str(compiled), str(PO)], check=True)
        if compiled.read_bytes() != committed_mo:
            problems.append(f"{MO.relative_to(ROOT)} is not compiled from the .po: run `make messages`")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problem(s)")
        return 1
    print(f"translations complete: {len(known)} strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
