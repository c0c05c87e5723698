"""Messages of `init` (the next steps), of reports over a repository with nothing to count yet, and of
interactive `add`."""

MESSAGES = {
    "init.next": ("下一步：", "Next steps:"),
    "init.next.cd": ("进入仓库：cd {path}", "go into the repository: cd {path}"),
    "init.next.edit": (
        ("编辑 gongkai.yaml（本办名称）、catalog/units.yaml（单位）、catalog/categories.yaml（公开事项分类）和 "
         "rules/rules.yaml（公开时限规则），文件里的说明逐项解释每个字段"),
        ("edit gongkai.yaml (the office's name), catalog/units.yaml (units), catalog/categories.yaml (categories) "
         "and rules/rules.yaml (deadlines); the comments in each file explain every field")),
    "init.next.commit": ("提交：git add gongkai.yaml catalog rules && git commit -m \"目录和规则\"",
                         "commit them: git add gongkai.yaml catalog rules && git commit -m \"catalog and rules\""),
    "init.next.add": ("登记一条公开信息：gongkai add（逐项询问）", "register an item: gongkai add (it asks for each field)"),
    "init.next.check": ("检查所有文件：gongkai check", "check every file: gongkai check"),
    "init.next.audit": ("季度通报：gongkai audit --quarter {quarter}", "the quarterly report: gongkai audit --quarter {quarter}"),
    "empty.no-rules": (
        "说明：仓库没有公开时限规则（rules/），没有需要计算的期限；在 rules/ 写规则（见 rules/rules.yaml 的说明）",
        ("note: the repository has no rules (rules/), so there are no deadlines to count; write rules in rules/ "
         "(see the comments in rules/rules.yaml)")),
    "empty.catalog-unread": (
        "错误：{files} 未能读取，本报告按不完整的目录计算（退出码 1）；请运行 gongkai check",
        "error: {files} did not load, so this report counts against an incomplete catalog (exit 1); run gongkai check"),
    "empty.no-items": (
        "说明：仓库还没有登记任何条目（items/）；用 gongkai add 登记",
        "note: the repository has no items yet (items/); register them with gongkai add"),
    "store.prompt.field": ("{field}（分类“{category}”必填）", "{field} (required by category {category})"),
    "store.prompt.empty": ("此项必填", "this field is required"),
    "store.prompt.invalid": ("{field} 的值不对（{detail}），请重新输入", "not a valid {field} ({detail}); try again"),
    "store.uncommitted": (
        "{paths} 有未提交的修改，条目要按已提交的目录和规则检查；请先提交：git add {paths} && git commit",
        ("{paths} has uncommitted changes, and items are checked against the committed catalog and rules; "
         "commit it first: git add {paths} && git commit")),
}
