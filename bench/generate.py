"""Build a deterministic synthetic gongkai repository for benchmarks.

    python bench/generate.py N [DIR]      # default DIR: bench/repos/N

200 units (departments, townships, villages under townships), ten categories, periodic,
event and companion rules, and N items spread over 2022–2024 with realistic Chinese titles:
most disclosed on time, some late, some overdue (never disclosed), some not disclosed with a
reason. Same N, same bytes. Committed with one `git add -A && git commit`.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

SEED = 20240923
YEARS = (2022, 2023, 2024)

DEPARTMENTS = [
    ("fagaiwei", "发展和改革委员会"), ("jiaoyuju", "教育局"), ("gonganju", "公安局"), ("minzhengju", "民政局"),
    ("sifaju", "司法局"), ("caizhengju", "财政局"), ("renshej", "人力资源和社会保障局"), ("zirangju", "自然资源局"),
    ("shengtaiju", "生态环境分局"), ("zhujianju", "住房和城乡建设局"), ("jiaotongju", "交通运输局"),
    ("shuiliju", "水利局"), ("nongyeju", "农业农村局"), ("shangwuju", "商务局"), ("wenlvju", "文化广电和旅游局"),
    ("weijianwei", "卫生健康委员会"), ("tuijunju", "退役军人事务局"), ("yingjiju", "应急管理局"),
    ("shenjiju", "审计局"), ("shijianju", "市场监督管理局"), ("tongjiju", "统计局"), ("yibaoju", "医疗保障局"),
    ("linyeju", "林业局"), ("xiangzhenju", "乡村振兴局"), ("zhengwuju", "政务服务和大数据管理局"),
    ("chengguanju", "城市管理局"), ("keji", "科学技术局"), ("gongxinju", "工业和信息化局"),
    ("minzongju", "民族宗教事务局"), ("xinfangju", "信访局"), ("tiyuju", "体育局"), ("renfangban", "人民防空办公室"),
    ("gongzixin", "工商业联合会"), ("shuiwuju", "税务局"), ("liangshiju", "粮食和物资储备局"),
    ("jingjiju", "经济合作局"), ("fupinban", "扶贫开发办公室"), ("difangzhi", "地方志办公室"),
    ("dangan", "档案馆"), ("zhengfuban", "人民政府办公室"),
]
TOWN_NAMES = "城关 古城 龙城 香花 九重 厚坡 马蹬 金河 老城 仓房 盛湾 寺湾 荆紫关 西簧 毛堂 大石桥 滔河 上集 " \
             "丹阳 商圣 桃花 白浪 新华 红旗 青山 凤凰 清泉 石门 东坪 柳树".split()
VILLAGE_NAMES = "杨河 王岗 李庄 张湾 刘营 陈沟 赵岭 周坪 吴寨 孙家 马岭 胡桥 郭庄 何坪 高村 林场 罗湾 " \
                "梁洼 宋岗 郑庄 谢湾 韩营 唐河 冯岗 于庄 董寨 萧湾 程岭 曹庄 袁营".split()
TOPICS = ["优化营商环境", "农村人居环境整治", "城乡居民基本医疗保险", "义务教育阶段招生入学", "防汛抗旱",
          "安全生产专项整治", "高标准农田建设", "老旧小区改造", "生活垃圾分类", "最低生活保障",
          "特困人员救助供养", "耕地保护", "河湖长制", "森林防火", "食品安全监督抽检", "公共法律服务",
          "退役军人优待", "中小企业纾困", "数字政府建设", "乡村振兴衔接资金", "住房公积金", "残疾人两项补贴"]
FORMS = ["关于印发{t}实施方案的通知", "关于进一步加强{t}工作的意见", "关于做好{t}有关工作的通知",
         "{t}专项行动工作方案", "关于{t}的公告", "{t}管理办法"]

CATEGORIES = [
    ("policy-docs", "规范性文件类", "timely", "public"),
    ("interpretations", "政策解读", "timely", "public"),
    ("work-news", "工作动态", "timely", "public"),
    ("fiscal", "财政预决算及收支", "timely", "public"),
    ("relief-funds", "社会救助资金发放", "timely", "public"),
    ("village-affairs", "村务公开", "timely", "public"),
    ("annual-reports", "政府信息公开工作年度报告", "standing", "public"),
    ("key-areas", "重点领域信息", "timely", "public"),
    ("personnel", "人事信息", "timely", "public"),
    ("requests", "依申请公开", "on-request", "requester"),
]

RULES = """\
- id: proactive-20wd
  name: 主动公开政府信息20个工作日内公开
  category: [policy-docs, work-news, key-areas, personnel]
  within: {workdays: 20}
  basis: 《中华人民共和国政府信息公开条例》第二十六条
- id: interpretation-sync
  name: 政策性文件与解读材料同步公开
  category: policy-docs
  unit_kinds: [department]
  companion: {category: interpretations, within: {days: 3}}
- id: fiscal-quarterly
  name: 财政收支情况每季度公开
  category: fiscal
  unit_kinds: [department, township]
  every: quarter
  due: {from: end, months: 1, day: 15}
  active: {from: 2022-01-01}
- id: relief-monthly
  name: 低保特困资金每月发放情况公开
  category: relief-funds
  unit_kinds: [township]
  every: month
  due: {from: end, months: 1, day: 10}
  active: {from: 2022-01-01}
- id: village-quarterly
  name: 村务每季度首月10日前公开
  category: village-affairs
  unit_kinds: [village]
  every: quarter
  due: {from: start, months: 0, day: 10}
  active: {from: 2022-01-01}
- id: annual-report
  name: 政府信息公开工作年度报告（1月31日前）
  category: annual-reports
  unit_kinds: [department, township]
  every: year
  due: {from: end, months: 1, day: 31}
  active: {from: 2022-01-01, until: 2024-12-31}
- id: request-reply
  name: 依申请公开20个工作日内答复
  category: requests
  within: {workdays: 20}
"""


def units() -> list[dict]:
    rows = [{"id": slug, "name": f"示范县{name}", "kind": "department"} for slug, name in DEPARTMENTS]
    towns = [{"id": f"town{n:02d}", "name": f"{name}镇", "kind": "township"} for n, name in enumerate(TOWN_NAMES)]
    rows += towns
    for n in range(200 - len(rows)):
        town = towns[n % len(towns)]
        rows.append({"id": f"{town['id']}-v{n:03d}", "name": f"{town['name'][:-1]}镇{VILLAGE_NAMES[n % 30]}村",
                     "kind": "village", "parent": town["id"]})
    return rows


def units_yaml(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        lines += [f"- id: {row['id']}", f"  name: {row['name']}", f"  kind: {row['kind']}"]
        if "parent" in row:
            lines.append(f"  parent: {row['parent']}")
        lines.append(f"  clerks: [gk-{row['id']}@example.gov.cn]")
    return "\n".join(lines) + "\n"


def categories_yaml() -> str:
    return "".join(f"- id: {slug}\n  name: {name}\n  time_limit: {limit}\n  scope: {scope}\n"
                   for slug, name, limit, scope in CATEGORIES)


CATEGORY_BY_KIND = {
    "department": ["policy-docs", "policy-docs", "interpretations", "work-news", "work-news", "fiscal",
                   "key-areas", "personnel", "requests", "annual-reports"],
    "township": ["work-news", "work-news", "relief-funds", "relief-funds", "fiscal", "key-areas", "requests",
                 "annual-reports"],
    "village": ["village-affairs", "village-affairs", "work-news"],
}


class Items:
    """Item files, drawn from one seeded generator so the same N gives the same bytes."""

    def __init__(self, rng: random.Random, rows: list[dict]):
        self.rng, self.rows, self.ids = rng, rows, set()
        self.last_policy: dict[str, str] = {}  # unit → latest policy document, for interpretations' `of`

    def new_id(self, year: int, unit: str) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        while True:
            candidate = f"{year}-{unit}-{''.join(self.rng.choices(alphabet, k=4))}"
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def one(self, serial: int) -> tuple[str, str]:
        rng = self.rng
        unit = self.rows[rng.randrange(len(self.rows))]
        category = rng.choice(CATEGORY_BY_KIND[unit["kind"]])
        if category == "interpretations" and unit["id"] not in self.last_policy:
            category = "work-news"
        year = rng.choice(YEARS)
        formed = date(year, 1, 1) + timedelta(days=rng.randrange(360))
        item_id = self.new_id(year, unit["id"])
        fields = {"id": item_id, "title": self.title(unit, category, formed), "category": category, "unit": unit["id"]}
        if category == "policy-docs":
            fields["doc_number"] = f"示政发〔{year}〕{serial % 997 + 1}号"
            self.last_policy[unit["id"]] = item_id
        if category == "interpretations":
            fields["of"] = self.last_policy[unit["id"]]
        fields["formed"] = formed.isoformat()
        fields.update(self.outcome(category, formed))
        return f"items/{year}/{unit['id']}/{item_id}.yaml", render(fields)

    def title(self, unit: dict, category: str, formed: date) -> str:
        rng, quarter = self.rng, (formed.month - 1) // 3 + 1
        return {
            "fiscal": f"{unit['name']}{formed.year}年第{quarter}季度财政收支情况",
            "relief-funds": f"{unit['name']}{formed.year}年{formed.month}月城乡低保及特困供养资金发放明细",
            "village-affairs": f"{unit['name']}{formed.year}年第{quarter}季度村务、财务公开",
            "annual-reports": f"{unit['name']}{formed.year - 1}年政府信息公开工作年度报告",
            "requests": f"关于{rng.choice(TOPICS)}相关信息的政府信息公开申请",
            "interpretations": f"《{rng.choice(TOPICS)}实施方案》政策解读",
            "personnel": f"{unit['name']}{formed.year}年公开招聘工作人员拟聘用人员公示",
        }.get(category) or unit["name"] + rng.choice(FORMS).format(t=rng.choice(TOPICS))

    def outcome(self, category: str, formed: date) -> dict:
        rng, roll = self.rng, self.rng.random()
        fields: dict = {}
        if category in ("fiscal", "relief-funds", "village-affairs"):
            fields["period"] = self.period(category, formed)
        if category == "requests":
            fields["mode"] = "on-request"
            fields["received"] = formed.isoformat()
            fields["requester"] = rng.choice(["natural-person", "business", "other"])
            if roll > 0.05:
                fields["replied"] = (formed + timedelta(days=rng.randrange(3, 40))).isoformat()
                fields["outcome"] = rng.choice(["granted", "granted", "partial", "unable/no-info"])
            return fields
        if roll < 0.03:
            return {**fields, "mode": "not-disclosed", "reason": "涉及第三方合法权益，经征求意见不同意公开，依条例第十五条不予公开。"}
        if roll < 0.07:
            return fields  # never disclosed: overdue
        delay = rng.randrange(25, 60) if roll < 0.15 else rng.randrange(0, 15)
        fields["disclosed"] = (formed + timedelta(days=delay)).isoformat()
        fields["channels"] = rng.sample(["政府门户网站", "政务新媒体", "公开栏", "政府公报"], k=rng.randrange(1, 3))
        fields["url"] = f"https://www.example.gov.cn/zwgk/{formed.year}/{formed.month:02d}/t{formed:%Y%m%d}_{rng.randrange(10**6)}.html"
        return fields

    def period(self, category: str, formed: date) -> str:
        quarter = (formed.month - 1) // 3 + 1
        return f"{formed.year}-{formed.month:02d}" if category == "relief-funds" else f"{formed.year}Q{quarter}"


def render(fields: dict) -> str:
    lines = []
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(value)}]")
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


def generate(count: int, root: Path) -> Path:
    if (root / "gongkai.yaml").exists():
        raise SystemExit(f"{root} already holds a repository")
    rng = random.Random(SEED)
    rows = units()
    files = {
        "gongkai.yaml": "office: 示范县人民政府办公室\ntimezone: Asia/Shanghai\ncalendar: cn\nlanguage: zh\n",
        "catalog/units.yaml": units_yaml(rows),
        "catalog/categories.yaml": categories_yaml(),
        "rules/bench.yaml": RULES,
    }
    items = Items(rng, rows)
    files.update(items.one(serial) for serial in range(count))
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    commit(root)
    return root


def commit(root: Path) -> None:
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.gov.cn", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", *identity, "commit", "-q", "-m", "synthetic repository"], cwd=root, check=True,
                   env={"GIT_AUTHOR_DATE": "2024-10-01T00:00:00+08:00", "GIT_COMMITTER_DATE": "2024-10-01T00:00:00+08:00",
                        **os.environ})


def main(argv: list[str]) -> None:
    if not argv or not argv[0].isdigit():
        raise SystemExit(__doc__)
    count = int(argv[0])
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "repos" / str(count)
    print(generate(count, root))


if __name__ == "__main__":
    main(sys.argv[1:])
