"""Small builders for the evaluation tests: a minimal valid rule set as data, and enterprise rows."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from kunlu.engine.evaluation import EnterpriseRow, RuleSet, ruleset_from_dict

DOCS = Path(__file__).resolve().parents[5] / "docs" / "evaluation-rules.md"

BASE: dict[str, Any] = {
    "code": "test-2025",
    "name": "测试办法",
    "jurisdiction": "测试县",
    "version": 1,
    "year": 2025,
    "source": "TEST",
    "indicators": [
        {"formula": "tax_per_mu", "weight": 60, "benchmark": {"kind": "fixed", "value": 10}},
        {"formula": "sales_per_mu", "weight": 40, "benchmark": {"kind": "fixed", "value": 100}},
    ],
    "banding": {
        "method": "percentile",
        "bands": [
            {"code": "A", "name": "优先发展", "top_percent": 20},
            {"code": "B", "name": "鼓励提升", "top_percent": 60},
            {"code": "C", "name": "监管调控", "top_percent": 95},
            {"code": "D", "name": "落后整治"},
        ],
    },
}


def base(**changes: Any) -> dict[str, Any]:
    """A deep copy of the minimal rule set with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return data


def build(**changes: Any) -> RuleSet:
    """The minimal rule set, validated, with top-level keys replaced."""
    return ruleset_from_dict(base(**changes))


def firm(ident: str | int, *, above_scale: bool = True, industry: str = "3411", region: str = "甲区",
         park: str = "一园", flags: tuple[str, ...] = (), **inputs: Any) -> EnterpriseRow:  # fmt: skip
    """An enterprise row with inputs as keyword arguments (land 1 亩 unless given)."""
    inputs.setdefault("land_mu", 1)
    return EnterpriseRow(
        id=ident, name=f"企业{ident}", industry=industry, park=park, region=region,
        above_scale=above_scale, flags=frozenset(flags), inputs=inputs,
    )  # fmt: skip


def docs_example() -> str:
    """The full example of docs/evaluation-rules.md (the YAML block after "## A full example")."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## A full example", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)
