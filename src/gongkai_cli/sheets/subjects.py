"""公开主体 as the catalog words it ("县级政府民政部门、乡镇政府(街道办事处)") → units of
catalog/units.yaml, by name and by kind; 县级/乡级 narrow the match by kind."""

from __future__ import annotations

import re
import unicodedata

from ..model.models import Unit

COUNTY_KINDS = ("department", "institution", "office")
TOWNSHIP_KINDS = ("township", "village")
VILLAGE = r"村[(（]?居?[)）]?委|村委|居委|村民委员会|居民委员会|社区"
TOWNSHIP = r"乡镇|街道|乡政府|镇政府|乡人民政府|镇人民政府"
# Words around the field's name in "县级政府民政部门", "县人力资源社会保障局": left off to find 民政
# (and off the units' names: 县人民政府办公室 holds 民政 only inside 人民政府).
AFFIXES = r"^(县级|县|市级|市|区级|区|本级)?(人民)?(政府)?|(主管|行政)?(部门|单位|机关)$"
EVERY_DEPARTMENT = {"", "各", "各有关", "有关", "相关", "各相关", "各职能"}


def match_subject(text: str, units: list[Unit], levels: list[str]) -> tuple[list[str] | None, list[str]]:
    """(the ids of the units the text names, or None when it names none; the parts it could not match)."""
    found: list[str] = []
    unmatched: list[str] = []
    for part in subject_parts(text):
        ids = _match_part(part, units)
        if ids:
            found += [unit_id for unit_id in ids if unit_id not in found]
        else:
            unmatched.append(part)
    kinds = _level_kinds(levels)
    if kinds is not None:
        named = found or [unit.id for unit in units]  # no 公开主体, or none it names: every unit of the level
        by_id = {unit.id: unit for unit in units}
        found = [unit_id for unit_id in named if by_id[unit_id].kind in kinds]
    return (found or None), unmatched


def subject_parts(text: str) -> list[str]:
    normal = unicodedata.normalize("NFKC", text)
    return [part.strip() for part in re.split(r"[、,，;；/\n]+", normal) if part.strip()]


def _match_part(part: str, units: list[Unit]) -> list[str]:
    exact = [unit.id for unit in units if unit.name == part]
    named = exact or [unit.id for unit in units if unit.name in part]
    if named:
        return named
    if re.search(VILLAGE, part):
        return [unit.id for unit in units if unit.kind == "village"]
    if re.search(TOWNSHIP, part):
        return [unit.id for unit in units if unit.kind == "township"]
    core = re.sub(AFFIXES, "", re.sub(r"[(（].*?[)）]", "", part))
    if core in EVERY_DEPARTMENT:
        return [unit.id for unit in units if unit.kind == "department"]
    return [unit.id for unit in units if unit.kind in COUNTY_KINDS and core in re.sub(AFFIXES, "", unit.name)]


def _level_kinds(levels: list[str]) -> tuple[str, ...] | None:
    if set(levels) == {"county"}:
        return COUNTY_KINDS
    if set(levels) == {"township"}:
        return TOWNSHIP_KINDS
    return None
