"""The rule sets shipped with Kunlu (src/kunlu/evaluation/rulesets/*.yaml), named by jurisdiction and year."""

from __future__ import annotations

from pathlib import Path

import kunlu

RULESETS_DIR = Path(kunlu.__file__).resolve().parent / "evaluation" / "rulesets"


def shipped_rulesets() -> list[Path]:
    """Paths of every shipped rule-set file, sorted by name."""
    return sorted(RULESETS_DIR.glob("*.yaml"))


def shipped_ruleset_path(name: str) -> Path:
    """The path of one shipped rule set by its file name without ".yaml" (e.g. "huaian-2024")."""
    path = RULESETS_DIR / f"{name}.yaml"
    if not path.is_file():
        known = "、".join(item.stem for item in shipped_rulesets())
        raise FileNotFoundError(f"没有名为“{name}”的内置规则集（现有：{known}）")
    return path
