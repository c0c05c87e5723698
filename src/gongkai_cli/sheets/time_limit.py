"""How gongkai reads a catalog's free-text 公开时限 (a small grammar; see docs/import.md)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Reading:
    """What a 公开时限 phrase says: the rules' shape keys it sets, and whether it is standing or asap."""

    text: str
    rules: list[dict] = field(default_factory=list)
    standing: bool = False
    asap: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def computable(self) -> bool:
        return bool(self.rules)

    def as_json(self) -> dict:
        return {"text": self.text, "computable": self.computable, "rules": self.rules,
                "standing": self.standing, "asap": self.asap, "notes": self.notes}


def read_time_limit(text: str) -> Reading:
    """The reading of one phrase; what it cannot read stays uncomputable, never a guessed number."""
    return Reading(text)


def explain(reading: Reading, lang: str) -> list[str]:
    """The reading in words, one line per finding."""
    from ..messages import text

    return [text("time-limit.uncomputable", lang, text=reading.text)]
