"""`reports/<year>.yaml` and `reports/<year>-<unit>.yaml`: what the annual report needs that items do not hold.

The cells a report prints and their keys (`table3.carried_over.natural-person`) are listed here
too, so the file model, the computation and the checks name cells the same way.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field, Strict

from .models import OUTCOMES, SLUG, Model

Count = Annotated[int, Strict(), Field(ge=0)]
Change = Annotated[int, Strict()]
Amount = Annotated[Union[Annotated[int, Strict()], Annotated[float, Strict()]], Field(ge=0)]

# Table 二 (2021 format): 第（一）项 per kind of document, then four single figures.
DOCUMENT_KINDS = ("regulations", "normative-documents")
DOCUMENT_COLUMNS = ("issued", "repealed", "in_force")
FIGURES = ("licensing", "penalties", "enforcement", "fees_wan")
# Table 二 (trial format, 2019–2020)
TRIAL_DOCUMENT_COLUMNS = ("made", "disclosed", "total_disclosed")
TRIAL_MATTERS = ("licensing", "other-services", "penalties", "enforcement")
TRIAL_MATTER_COLUMNS = ("previous", "change", "decisions")
TRIAL_FEE_COLUMNS = ("previous", "change")
TRIAL_PROCUREMENT_COLUMNS = ("projects", "amount_wan")

# Table 三
REQUESTERS = ("natural-person", "business", "research", "nonprofit", "legal-service", "other")
COLUMNS3 = (*REQUESTERS, "total")
OTHER_OUTCOMES = tuple(outcome for outcome in OUTCOMES if outcome.startswith("other/"))
ROWS3_2021 = ("new_received", "carried_over", *OUTCOMES, "total", "carried_forward")
ROWS3_TRIAL = ("new_received", "carried_over", *(o for o in OUTCOMES if o not in OTHER_OUTCOMES), "other",
               "total", "carried_forward")

# Table 四
APPEAL_GROUPS = ("review", "lawsuit", "lawsuit-after-review")
RESULTS = ("upheld", "corrected", "other", "pending")
COLUMNS4 = (*RESULTS, "total")


class TrialMatter(Model):
    """A row of the trial format's 第（五）（六）项: 上一年项目数量 · 本年增/减 · 处理决定数量."""

    previous: Count | None = None
    change: Change | None = None
    decisions: Count | None = None


class TrialFees(Model):
    """第（八）项 行政事业性收费: 上一年项目数量 · 本年增/减."""

    previous: Count | None = None
    change: Change | None = None


class TrialProcurement(Model):
    """第（九）项 政府集中采购: 采购项目数量 · 采购总金额（万元）."""

    projects: Count | None = None
    amount_wan: Amount | None = None


class TrialFigures(Model):
    """What the trial format (国办公开办函〔2019〕60号, reports on 2019 and 2020) asks beyond the items."""

    licensing: TrialMatter = Field(default_factory=TrialMatter)
    other_services: TrialMatter = Field(default_factory=TrialMatter, alias="other-services")
    penalties: TrialMatter = Field(default_factory=TrialMatter)
    enforcement: TrialMatter = Field(default_factory=TrialMatter)
    fees: TrialFees = Field(default_factory=TrialFees)
    procurement: TrialProcurement = Field(default_factory=TrialProcurement)

    model_config = {"populate_by_name": True}


class ReportText(Model):
    overview: str | None = Field(default=None, description="一、总体情况 (Markdown)")
    problems: str | None = Field(default=None, description="五、存在的主要问题及改进情况")
    other: str | None = Field(default=None, description="六、其他需要报告的事项")


class ReportFigures(Model):
    year: Annotated[int, Strict(), Field(ge=1990, le=2200)]
    unit: Annotated[str, Field(pattern=SLUG)] | None = None
    licensing: Count | None = None
    penalties: Count | None = None
    enforcement: Count | None = None
    fees_wan: Amount | None = None
    cells: dict[str, Amount] = Field(default_factory=dict, description="computed cells stated by the office")
    text: ReportText = Field(default_factory=ReportText)
    trial: TrialFigures = Field(default_factory=TrialFigures)


def _register() -> None:
    """Make `reports/<year>.yaml` a file kind of models.py (its ELEMENTS, adapters and schemas)."""
    from pydantic import TypeAdapter

    from . import models

    models.ELEMENTS["reports"] = ReportFigures
    models.ELEMENT_ADAPTERS["reports"] = TypeAdapter(ReportFigures)
    models.SCHEMA_TYPES["reports"] = ReportFigures


_register()


def cell_keys(trial: bool) -> set[str]:
    """Every cell key a figures file may state (`cells:`); table 四 totals are always sums."""
    keys = {f"table3.{row}.{column}" for row in (ROWS3_TRIAL if trial else ROWS3_2021) for column in COLUMNS3}
    keys |= {f"table4.{group}.{result}" for group in APPEAL_GROUPS for result in RESULTS}
    columns = TRIAL_DOCUMENT_COLUMNS if trial else DOCUMENT_COLUMNS
    keys |= {f"table2.{kind}.{column}" for kind in DOCUMENT_KINDS for column in columns}
    return keys
