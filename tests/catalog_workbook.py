"""A generated 基层政务公开标准目录 workbook as offices fill it: several sheets (one per area), a
title row, two header rows with merged heading cells (or one plain header row), 一级事项 merged
over its rows, ■/□ channel boxes, √ marks, 同上, a note row below. Seeded, so tests and the
bench build the same workbook every time. Also the units.yaml its 公开主体 names."""

from __future__ import annotations

import random
from pathlib import Path

AREAS = ["民政", "教育", "卫生健康", "自然资源", "住房城乡建设", "农业农村", "人力资源社会保障", "财政"]
GROUPS = ["政策文件", "办事服务", "资金管理", "项目建设", "监督检查", "工作动态", "统计信息", "规划计划"]
ITEMS = ["法律法规", "规范性文件", "办事指南", "服务流程", "补助标准", "资金分配", "项目审批", "检查结果",
         "年度报告", "统计数据", "发展规划", "工作计划", "政策解读", "申请条件", "结果公示", "投诉渠道"]
TIME_LIMITS = ["信息形成或变更之日起20个工作日内", "自信息形成之日起二十个工作日内", "每季度结束后15日内",
               "每年1月31日前", "长期公开", "及时公开", "每月5日前", "每半年更新一次", "按进展情况及时公开",
               "作出决定之日起7个工作日内", "法律、法规另有规定的，从其规定", "每年至少更新2次", "同上",
               "信息形成之日起20个工作日内；每季度首月10日前更新", "公示期不少于7天"]
CHANNELS = ["政府网站", "政府公报", "两微一端", "公开查阅点", "政务服务中心", "便民服务站", "公示栏"]
TOWNSHIPS = ["东山镇", "西河乡", "南岭镇"]

HEADINGS = ["序号", "公开事项", "公开事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
            "公开对象", "公开对象", "公开方式", "公开方式", "公开层级", "公开层级"]
SUBHEADINGS = [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请",
               "县级", "乡级"]
ONE_ROW_HEADINGS = ["序号", "事项类别", "公开事项", "公开内容", "公开依据", "公开时限要求", "公开主体", "公开渠道",
                    "全社会", "特定群体", "主动", "依申请", "县级", "乡级"]


def units_yaml() -> str:
    lines = []
    for area in AREAS:
        lines += [f"- id: {_area_id(area)}", f"  name: 县{area}局", "  kind: department"]
    for index, name in enumerate(TOWNSHIPS):
        lines += [f"- id: town-{index}", f"  name: {name}", "  kind: township"]
    return "\n".join(lines) + "\n"


def _area_id(area: str) -> str:
    return f"dept-{AREAS.index(area)}"


def catalog_workbook(path: Path, rows: int = 500, sheets: int = 4, seed: int = 7) -> Path:
    """A workbook of about `rows` data rows spread over `sheets` sheets; the last sheet has one header row."""
    import openpyxl

    chance = random.Random(seed)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    per_sheet = [rows // sheets + (1 if index < rows % sheets else 0) for index in range(sheets)]
    for index, count in enumerate(per_sheet):
        area = AREAS[index % len(AREAS)]
        worksheet = workbook.create_sheet(f"{area}领域")
        _fill(worksheet, area, count, chance, two_header_rows=index < sheets - 1 or sheets == 1)
    workbook.create_sheet("填表说明").append(["本表按国办发〔2019〕54号要求填写。"])
    workbook.save(path)
    return path


def _fill(worksheet, area: str, count: int, chance: random.Random, two_header_rows: bool) -> None:
    worksheet.append([f"{area}领域基层政务公开标准目录"])
    worksheet.merge_cells("A1:N1")
    if two_header_rows:
        worksheet.append(HEADINGS)
        worksheet.append([sub or heading for heading, sub in zip(HEADINGS, SUBHEADINGS)])
        for column, sub in enumerate(SUBHEADINGS, 1):
            if sub is None:
                worksheet.merge_cells(start_row=2, end_row=3, start_column=column, end_column=column)
        for first, last in ((2, 3), (9, 10), (11, 12), (13, 14)):
            worksheet.merge_cells(start_row=2, end_row=2, start_column=first, end_column=last)
        first_row = 4
    else:
        worksheet.append(ONE_ROW_HEADINGS)
        first_row = 3
    number = 0
    group_index = 0
    while number < count:
        run = min(chance.randint(1, 6), count - number)
        group = f"{GROUPS[group_index % len(GROUPS)]}{group_index // len(GROUPS) or ''}"
        for offset in range(run):
            number += 1
            worksheet.append(_row(area, group, number, offset, chance))
        if run > 1:  # 一级事项 merged over its rows
            top = first_row + number - run
            worksheet.merge_cells(start_row=top, end_row=top + run - 1, start_column=2, end_column=2)
        group_index += 1
    worksheet.append(["注：公开渠道中■为已选，□为未选。"])
    last = worksheet.max_row
    worksheet.merge_cells(start_row=last, end_row=last, start_column=1, end_column=14)


def _row(area: str, group: str, number: int, offset: int, chance: random.Random) -> list[str]:
    item = f"{ITEMS[(number - 1) % len(ITEMS)]}{(number - 1) // len(ITEMS) or ''}"
    ticked = set(chance.sample(CHANNELS, chance.randint(1, 3)))
    boxes = " ".join(("■" if channel in ticked else "□") + channel for channel in CHANNELS)
    time_limit = chance.choice(TIME_LIMITS) if number > 1 else TIME_LIMITS[0]
    township = chance.random() < 0.3
    subject = f"县{area}局、乡镇政府（街道办事处）" if township else f"县级政府{area}部门"
    on_request = chance.random() < 0.15
    group_only = chance.random() < 0.2
    return [str(number), group if offset == 0 else None, item, f"{item}的具体内容（{area}）",
            f"《{area}工作条例》第{number}条", time_limit, subject, boxes,
            "√" if not group_only else "", "√" if group_only else "", "√", "√" if on_request else "",
            "√", "√" if township else ""]
