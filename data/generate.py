#!/usr/bin/env python3
"""生成 choucha 示例数据（虚构的临江市）与测试夹具：python3 data/generate.py（仅标准库，固定种子，结果确定）。
输出 data/*.csv、data/plans/2026-batch1.toml、tests/fixtures/{good,bad}/*。机构、人员、电话、地址、代码均为虚构。"""
import csv, io, os, collections, random

R = random.Random(20260101)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA, GOOD, BAD = (os.path.join(ROOT, p) for p in ("data", "tests/fixtures/good", "tests/fixtures/bad"))

INST_HDR = "机构编码,机构名称,统一社会信用代码,机构类型,经营性质,医院等级,所属区县,信用等级,地址,联系人,联系电话,状态".split(",")
INSP_HDR = "执法证号,姓名,所属单位,所属区县,专业,持有执法证,回避机构,联系电话,状态".split(",")
ITEM_HDR = "事项编码,事项名称,适用对象,检查依据,检查方式,事项类别".split(",")
H, P = "医疗机构", "零售药店"
REGIONS = [("江北区", "459901"), ("江南区", "459902"), ("高新区", "459903"),
           ("临溪县", "459904"), ("白石县", "459905"), ("东湖县", "459906")]
RC = dict(REGIONS)
SHORT = {r: r[:2] for r, _ in REGIONS}
CITY_RC = "459900"  # 市本级（虚构）

# ---------- 统一社会信用代码 GB 32100-2015 ----------
USCC_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

def uscc_check(body17):
    s = sum(USCC_ALPHA.index(c) * w for c, w in zip(body17, USCC_W))
    return USCC_ALPHA[(31 - s % 31) % 31]

def uscc_valid(code):
    return (len(code) == 18 and all(c in USCC_ALPHA for c in code)
            and uscc_check(code[:17]) == code[17])

assert all(uscc_valid(c) for c in ("91350100M000100Y43", "914403001922038216", "12100000400000624D"))

def orgcode(body8):  # GB 11714 组织机构代码校验位（第 9-17 位）
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, [3, 7, 9, 10, 5, 8, 4, 2]))
    c9 = 11 - s % 11
    return body8 + {10: "X", 11: "0"}.get(c9, str(c9))

USED_USCC = set()
def make_uscc(prefix, rc):
    while True:
        if prefix == "12":
            body = "4" + "".join(R.choice("0123456789") for _ in range(7))
        else:
            body = "MA" + "".join(R.choice(USCC_ALPHA[:-1]) for _ in range(6))
        b17 = prefix + rc + orgcode(body)
        code = b17 + uscc_check(b17)
        if code not in USED_USCC:
            USED_USCC.add(code)
            return code

# ---------- 人名、电话、地址 ----------
SURN = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐韦覃莫蒙陆邓冯蒋廖卢黎潘")
GIVEN = list("建国华明丽芳敏静伟强磊军洋勇艳杰娟涛超秀英霞平刚桂兰红玲志文海燕斌辉鹏丹萍健晓宇佳婷慧琳鑫浩俊峰春梅")
USED_NAMES = set()
def person(unique=False):
    while True:
        n = R.choice(SURN) + "".join(R.choice(GIVEN) for _ in range(R.choice((1, 2, 2))))
        if not unique or n not in USED_NAMES:
            USED_NAMES.add(n)
            return n

def mobile():
    return R.choice(["139", "138", "137", "135", "150", "151", "158", "159", "177", "186", "187", "188", "199"]) + \
        "".join(R.choice("0123456789") for _ in range(8))

def landline():
    return "0771-" + R.choice("2356") + "".join(R.choice("0123456789") for _ in range(6))

STREETS = {k: v.split() for k, v in {"江北区": "滨江北路 解放路 人民路 北门街 望江路 江北大道 建设路 和平街",
           "江南区": "江南大道 南湖路 朝阳路 五一路 中山路 南站路 文化路 新华路",
           "高新区": "科技大道 创新路 学府路 金湖路 高新一路 高新三路 软件园路 永安路",
           "临溪县": "临溪大道 解放路 溪园路 城南路 新民街", "白石县": "白石大道 人民路 古城路 东门街 建设路",
           "东湖县": "东湖大道 湖滨路 荷花路 新港路 中山街"}.items()}
TOWNS = {k: v.split() for k, v in {"临溪县": "石桥镇 龙潭镇 青山镇 河口镇 柳溪镇 金田镇 长岭乡 双河乡",
         "白石县": "白沙镇 石门镇 古渡镇 凤凰镇 大岭镇 三江乡 马坪乡",
         "东湖县": "湖滨镇 莲塘镇 新港镇 杨柳镇 荷花镇 塘头乡 渔湾乡", "高新区": "永安镇 新桥镇"}.items()}
STREETS_J = {k: v.split() for k, v in {"江北区": "滨江 北门 人民 望江 城北 江北新村", "江南区": "南湖 江南 朝阳 五一 南站 东岸",
             "高新区": "科技城 创新 金湖 高新"}.items()}
VILLAGES = "柳塘 石坪 上坝 下湾 杨家 新屋 大塘 黄泥 长冲 枫树 竹林 河西 王庄 李家坪 松山 沙田 桥头 坪岭 水口 高岭".split()

def addr(region, town=None, village=None):
    if village:
        return f"临江市{region}{town}{village}村"
    if town:
        return f"临江市{region}{town}{R.choice(['新街', '老街', '中心街', '解放街', '民主街'])}{R.randint(1, 188)}号"
    seat = "" if region.endswith("区") else "城关镇"
    return f"临江市{region}{seat}{R.choice(STREETS[region])}{R.randint(1, 399)}号"

# ---------- 机构名录 ----------
RISK_BIAS = {"pubhosp": -0.35, "base": -0.1, "chain": -0.1, "priv": 0.2, "single": 0.15}  # 信用风险偏置
SEQ = collections.Counter()
INST = []

def add(name, kind, nature, grade, region, cat, address, uscc_prefix, blank_uscc=0.02):
    prefix = "H" if kind == H else "P"
    SEQ[(prefix, region)] += R.choice((1, 1, 1, 2, 3))  # 偶有空号（已注销编码不复用）
    code = f"{prefix}{RC[region]}{SEQ[(prefix, region)]:05d}"
    credit = "" if R.random() < 0.02 else R.random() + RISK_BIAS[cat]  # 风险分，随后按比例定级
    uscc = "" if R.random() < blank_uscc else make_uscc(uscc_prefix, RC[region])
    phone = landline() if (cat == "pubhosp" or R.random() < 0.25) else mobile()
    INST.append(dict(zip(INST_HDR, [code, name, uscc, kind, nature, grade, region, credit, address,
                                    person(), phone, cat])))

PUB_HOSP = """临江市第一人民医院 江北区 三级甲等|临江市妇幼保健院 江北区 三级乙等|临江市第三人民医院 江北区 二级甲等
|江北区人民医院 江北区 二级甲等|临江市口腔医院 江北区 二级乙等|临江市中医医院 江南区 三级甲等|临江市第二人民医院 江南区 三级乙等
|江南区人民医院 江南区 二级甲等|江南区中医医院 江南区 二级乙等|临江市康复医院 江南区 二级乙等|临江市肿瘤医院 高新区 三级甲等
|临江市传染病医院 高新区 二级甲等|高新区人民医院 高新区 二级乙等|临溪县人民医院 临溪县 三级乙等|临溪县中医医院 临溪县 二级甲等
|临溪县妇幼保健院 临溪县 二级乙等|白石县人民医院 白石县 二级甲等|白石县中医医院 白石县 二级乙等|白石县妇幼保健院 白石县 一级
|东湖县人民医院 东湖县 二级甲等|东湖县中医医院 东湖县 二级乙等|东湖县妇幼保健院 东湖县 二级乙等"""
PRIV_HOSP = """临江仁和医院 江北区 二级乙等|临江华美妇产医院 江北区 二级乙等|临江康桥骨科医院 江北区 一级|临江瑞康老年病医院 江北区 一级
|临江佳禾肿瘤医院 江北区 二级乙等|临江明视眼科医院 江南区 二级乙等|临江博爱医院 江南区 二级甲等|临江安济肛肠医院 江南区 一级
|临江康宁精神病医院 江南区 二级乙等|临江童乐儿童医院 江南区 一级|临江颐康康复医院 高新区 二级乙等|临江高新德济医院 高新区 一级
|临江美佳口腔医院 高新区 未定级|临江肾康血液透析中心 高新区 未定级|临江泰和中医医院 高新区 一级|临溪县博仁医院 临溪县 一级
|临溪县康华医院 临溪县 二级乙等|临溪县溪源中医医院 临溪县 未定级|白石县仁爱医院 白石县 一级|白石县康泰医院 白石县 二级乙等
|白石县益民骨伤医院 白石县 未定级|东湖县湖光医院 东湖县 二级乙等|东湖县济民医院 东湖县 一级|东湖县安宁康复医院 东湖县 一级"""
PUB_HOSP, PRIV_HOSP = ([x.split() for x in t.replace("\n", "").split("|")] for t in (PUB_HOSP, PRIV_HOSP))
for name, reg, grade in PUB_HOSP:
    add(name, H, "公立", grade, reg, "pubhosp", addr(reg), "12", 0)
for name, reg, grade in PRIV_HOSP:
    add(name, H, "民营", grade, reg, "priv", addr(reg), R.choice(["91", "91", "52"]), 0)
for reg, streets in STREETS_J.items():  # 社区卫生服务中心
    for s in streets:
        add(f"{reg}{s}街道社区卫生服务中心", H, "公立", R.choice(["一级", "一级", "未定级"]), reg, "base", addr(reg), "12")
for reg in ("临溪县", "白石县", "东湖县"):
    for s in ("城东", "城西"):
        add(f"{reg}城关镇{s}社区卫生服务中心", H, "公立", "一级", reg, "base", addr(reg), "12")
USED = set()
def unique(gen):
    while (v := gen()) in USED:
        pass
    USED.add(v)
    return v

for reg, towns in TOWNS.items():  # 乡镇卫生院、村卫生室
    for i, t in enumerate(towns):
        central = i < 2 and reg != "高新区"
        add(f"{reg}{t}{'中心' if central else ''}卫生院", H, "公立", "二级乙等" if central and i == 0 else "一级",
            reg, "base", addr(reg, t), "12")
    for _ in range(2 if reg == "高新区" else 18):
        t, v = unique(lambda: (R.choice(towns), R.choice(VILLAGES)))
        nat = "公立" if R.random() < 0.8 else "民营"
        add(f"{reg}{t}{v}村卫生室", H, nat, R.choice(["", "", "未定级"]), reg, "base", addr(reg, t, v),
            "12" if nat == "公立" else "92", 0.3)
CLINIC_KIND = ["中医诊所", "口腔诊所", "内科诊所", "中西医结合诊所", "门诊部", "综合门诊部", "骨伤诊所"]
BRANDS = "仁心 康宁 惠民 安康 德济 福寿 杏林 悦康 贝佳 美齿 益生 众康 健民 和顺 济世 慈济 鹤年 泰康".split()
CLINIC_N = {"江北区": 12, "江南区": 12, "高新区": 10, "临溪县": 8, "白石县": 7, "东湖县": 7}
for reg, n in CLINIC_N.items():
    pre = f"临江市{reg}" if reg.endswith("区") else reg
    for _ in range(n):
        name = unique(lambda: pre + (person() if R.random() < 0.3 else R.choice(BRANDS)) + R.choice(CLINIC_KIND))
        add(name, H, "民营", "" if R.random() < 0.8 else "未定级", reg, "priv", addr(reg),
            "91" if "门诊部" in name else "92")
CHAINS = [("临江百草堂大药房", {"江北区": 8, "江南区": 8, "高新区": 5, "临溪县": 4, "白石县": 3, "东湖县": 4}),
          ("临江仁济堂医药连锁", {"江北区": 6, "江南区": 5, "高新区": 4, "临溪县": 3, "白石县": 2, "东湖县": 2}),
          ("临江康民大药房", {"江北区": 4, "江南区": 4, "高新区": 3, "临溪县": 2, "白石县": 2, "东湖县": 2}),
          ("临江益寿堂药房", {"江北区": 3, "江南区": 2, "高新区": 2, "临溪县": 2, "白石县": 1, "东湖县": 1})]
NUM = "一二三四五六七八九十"
for chain, per in CHAINS:
    for reg, n in per.items():
        for i in range(n):
            add(f"{chain}{SHORT[reg]}{NUM[i]}店", P, "民营", "", reg, "chain", addr(reg), "91", 0)
SINGLE_N = {"江北区": 10, "江南区": 10, "高新区": 6, "临溪县": 8, "白石县": 7, "东湖县": 7}
PH_BRANDS = "福源 广济 同福 寿康 康泰 百姓 济生堂 回春堂 万家 安心 民生 利民 永康 长寿 春晖 德仁堂 杏林春 保和堂".split()
for reg, n in SINGLE_N.items():
    for _ in range(n):
        town, name = unique(lambda: (t := R.choice(TOWNS[reg]) if reg in TOWNS and R.random() < 0.5 else "",
                                     f"{reg}{t}{R.choice(PH_BRANDS)}{R.choice(['药店', '大药房', '药房'])}"))
        add(name, P, "民营", "", reg, "single", addr(reg, town or None), R.choice(["91", "92"]), 0.01)
rated = sorted((r for r in INST if r["信用等级"] != ""), key=lambda r: r["信用等级"])
for i, r in enumerate(rated):  # 约 40% A、35% B、18% C、7% D
    r["信用等级"] = "ABCD"[sum(i >= q * len(rated) for q in (0.40, 0.75, 0.93))]
for r in INST:
    sw = (70, 18, 8, 4) if r["信用等级"] == "D" else (96, 2, 1, 1)
    r["状态"] = "在册" if r["状态"] == "pubhosp" else R.choices(["在册", "暂停", "解除协议", "注销"], sw)[0]
INST.sort(key=lambda r: (r["机构编码"][1:7], r["机构编码"]))
CODES = {r["机构编码"]: r for r in INST}
BY_NAME = {r["机构名称"]: r["机构编码"] for r in INST}

# ---------- 执法检查人员名录 ----------
INSP = []
def add_insp(cid, unit, region, majors, cert, avoid=(), status="在岗"):
    INSP.append(dict(zip(INSP_HDR, [cid, person(True), unit, region, "、".join(majors), "是" if cert else "否",
                                    "、".join(avoid), mobile(), status])))

STAFF = {  # 单位 -> (所属区县, 证号区划, [每人的专业])
    "临江市医疗保障局": ("市本级", CITY_RC, [("法律",), ("医学", "法律"), ("财务",), ("药学",), ("信息",), ("医学",)]),
    "临江市医疗保障基金监管中心": ("市本级", CITY_RC, [("医学",), ("药学", "财务"), ("护理", "医学"), ("财务",),
                                          ("信息", "财务"), ("药学",)]),
}
DIST_PATTERNS = [("医学", "法律"), ("药学",), ("财务",), ("医学",), ("信息", "法律"), ("药学", "医学")]
for reg, rc in REGIONS:
    n = 5 if reg in ("江北区", "江南区") else 4
    STAFF[f"{reg}医疗保障局"] = (reg, rc, DIST_PATTERNS[:n])
last = collections.Counter()
for unit, (reg, rc, pats) in STAFF.items():
    last[rc] = max(last[rc], R.randint(100, 160))
    for i, majors in enumerate(pats):
        last[rc] += R.randint(1, 9)
        cert = not (unit.endswith("监管中心") and i >= 4) and not (i == 3 and reg in ("高新区", "白石县"))
        add_insp(f"LJ{rc}{last[rc]:05d}", unit, reg, majors, cert)
# 员工回避：配偶/亲属在该机构任职、曾在该机构工作
STAFF_AVOID = [("江南区医疗保障局", 1, ["临江百草堂大药房江北一店"]),
               ("临溪县医疗保障局", 0, ["临溪县人民医院", "白石县康泰医院"]),
               ("临江市医疗保障基金监管中心", 2, ["临江市第二人民医院"])]
for unit, idx, names in STAFF_AVOID:
    rows = [r for r in INSP if r["所属单位"] == unit]
    rows[idx]["回避机构"] = "、".join(BY_NAME[n] for n in names)
# 市级专家库：所属区县记为市本级（不管辖任何区县），利益冲突靠回避机构（本单位、多点执业、医联体托管）
EXPERTS = [("临江市第一人民医院", ("医学",), ["临江市第一人民医院"]),
           ("临江市第一人民医院", ("药学",), ["临江市第一人民医院"]),
           ("临江市第一人民医院", ("护理",), ["临江市第一人民医院", "临江颐康康复医院"]),
           ("临江市中医医院", ("医学",), ["临江市中医医院", "临溪县中医医院", "江南区中医医院"]),
           ("临江市中医医院", ("药学",), ["临江市中医医院"]),
           ("临江市第二人民医院", ("医学",), []), ("临江市肿瘤医院", ("医学",), ["临江市肿瘤医院"]),
           ("临江市妇幼保健院", ("医学", "护理"), []), ("东湖县人民医院", ("医学",), ["东湖县人民医院"]),
           ("临江医学高等专科学校", ("药学", "医学"), []), ("临江正信会计师事务所", ("财务",), []),
           ("临江明诚会计师事务所", ("财务",), []), ("临江智医信息技术有限公司", ("信息",), [])]
for i, (emp, majors, avoid) in enumerate(EXPERTS):
    add_insp(f"ZJ{CITY_RC}{i + 1:05d}", f"专家库（{emp}）", "市本级", majors, False, [BY_NAME[n] for n in avoid])
INSP[[r["所属单位"] for r in INSP].index("白石县医疗保障局") + 2]["状态"] = "停用"
INSP[-2]["状态"] = "停用"

def feasible(insp, regions, strict=True):
    """每个区县、每类机构：存在来自其他区县的 2 人组（≥1 持证，≥1 对口专业）。strict：≥2 人持证且对口。"""
    act = [r for r in insp if r["状态"] == "在岗"]
    for reg in regions:
        pool = [r for r in act if r["所属区县"] != reg]
        for need in ("医学", "药学"):
            good = [r for r in pool if r["持有执法证"] == "是" and need in r["专业"].split("、")]
            if len(pool) < 2 or not good or (strict and len(good) < 2):
                return False
    return True

# ---------- 抽查事项清单 ----------
T = "《医疗保障基金使用监督管理条例》"
HP = f"{H}、{P}"
ITEMS = [("分解住院、挂床住院", H, f"{T}第十五条、第三十八条第（一）项", "现场检查、数据比对", "重点"),
         ("过度诊疗、过度检查、分解处方、超量开药", H, f"{T}第十五条、第三十八条第（二）项", "现场检查、病历核查", "一般"),
         ("重复收费、超标准收费、分解项目收费", H, f"{T}第十五条、第三十八条第（三）项", "数据比对、现场检查", "一般"),
         ("串换药品、医用耗材、诊疗项目和服务设施", HP, f"{T}第十五条、第三十八条第（四）项", "现场检查、数据比对", "一般"),
         ("诱导参保人员住院、降低标准入院", H, f"{T}第十五条；医保服务协议", "现场检查、病历核查", "一般"),
         ("虚构医药服务项目、伪造变造医学文书及票据", HP, f"{T}第二十条、第四十条", "现场检查、书面核查", "重点"),
         ("诱导、协助他人冒名或者虚假就医、购药", HP, f"{T}第十五条、第四十条第（一）项", "现场检查、数据比对", "重点"),
         ("盗刷、冒用、留存参保人员医保凭证", HP, f"{T}第十五条、第四十条", "现场检查、数据比对", "一般"),
         ("药品和医用耗材进销存不符", HP, f"{T}第十六条、第三十九条第（二）项", "现场检查、数据比对", "一般"),
         ("医保药品与非医保药品、保健品、日用品串换结算", P, f"{T}第三十八条第（四）项；《零售药店医疗保障定点管理暂行办法》",
          "现场检查", "一般"),
         ("执业药师在岗履职与处方审核", P, "《零售药店医疗保障定点管理暂行办法》；医保服务协议", "现场检查", "一般"),
         ("为参保人员转卖药品、返还现金实物提供便利", P, f"{T}第三十八条第（五）项", "现场检查、数据比对", "一般"),
         ("将医保目录外费用纳入医保基金结算", HP, f"{T}第三十八条第（六）项", "数据比对", "一般"),
         ("为非定点医药机构提供医保结算", HP, "医保服务协议；《医疗机构医疗保障定点管理暂行办法》", "现场检查、数据比对", "一般"),
         ("医保支付资格管理与相关人员备案", HP, "《关于建立定点医药机构相关人员医保支付资格管理制度的指导意见》；医保服务协议",
          "书面核查、数据比对", "一般"),
         ("协议履行与价格、医保信息公示", HP, f"{T}第十六条、第三十九条第（五）项；医保服务协议", "现场检查", "一般"),
         ("医保基金使用内部管理制度与专人负责", HP, f"{T}第十四条、第三十九条第（一）项", "", "一般"),
         ("医保数据传送与病历、处方、票据资料保管", HP, f"{T}第十六条、第三十九条第（二）项、第（三）项", "书面核查", "一般"),
         ("智能监控疑点数据核查", HP, "医保服务协议；智能监控规则库、知识库", "数据比对", "一般"),
         ("高值医用耗材使用与追溯", H, f"{T}第十五条、第三十八条", "现场检查、数据比对", "一般"),
         ("检查检验、康复理疗等重点领域收费", H, f"{T}第十五条、第三十八条第（二）项、第（三）项", "现场检查、数据比对", "重点"),
         ("药品追溯码重复结算、慢特病超量购药", HP, f"{T}第十五条、第三十八条", "数据比对", "一般")]
ITEM_ROWS = [[f"YB-{i + 1:02d}", *it] for i, it in enumerate(ITEMS)]

PLAN = '''title = "2026年第一批医保基金双随机抽查"
year = 2026
[scope]
regions = []                       # 空 = 全部区县
institution_types = ["医疗机构", "零售药店"]
items = ["YB-01", "YB-04", "YB-09", "YB-11"]   # 每个任务取适用于该机构类型的事项
[rates]                            # 各信用等级抽查比例，不低于 "5%"
A = "5%"
B = "10%"
C = "20%"
D = "50%"
[exclusion]
recently_drawn_months = 12
except_classes = ["D"]
[team]
size = 2
require_certified = true
cross_region = true
max_tasks_per_inspector = 5
[alternates]
per_class = 2
'''

# ---------- 小样本（good 夹具） ----------
SI = [next(r for r in INSP if r["所属单位"] == "临江市医疗保障局" and r["持有执法证"] == "是" and "医学" in r["专业"]),
      next(r for r in INSP if r["所属单位"] == "临江市医疗保障局" and r["持有执法证"] == "是" and "药学" in r["专业"])]
for i, (reg, _) in enumerate(REGIONS):
    need = "医学" if i % 2 == 0 else "药学"
    SI.append(next(r for r in INSP if r["所属区县"] == reg and r["所属单位"].endswith("医疗保障局")
                   and r["持有执法证"] == "是" and r["状态"] == "在岗" and need in r["专业"]))
SI += [r for r in INSP if r["所属单位"].startswith("专家库") and r["回避机构"] and r["状态"] == "在岗"][:4]
SI = [dict(r, 回避机构=r["回避机构"].split("、")[0]) for r in SI]
small = list(dict.fromkeys(r["回避机构"] for r in SI if r["回避机构"]))
ok = [r for r in INST if r["状态"] == "在册" and r["信用等级"] and r["统一社会信用代码"]]
for reg, _ in REGIONS:
    for kind in (H, P):
        if not any(CODES[c]["所属区县"] == reg and CODES[c]["机构类型"] == kind for c in small):
            small.append(R.choice([r for r in ok if r["所属区县"] == reg and r["机构类型"] == kind])["机构编码"])
small.append(next(r for r in INST if r["状态"] == "在册" and not r["统一社会信用代码"] and r["信用等级"])["机构编码"])
small.append(next(r for r in INST if r["状态"] == "在册" and not r["信用等级"])["机构编码"])
small.append(next(r for r in INST if r["状态"] == "暂停" and r["统一社会信用代码"])["机构编码"])
for c in ("C", "D"):
    if not any(CODES[x]["信用等级"] == c for x in small):
        small.append(R.choice([r for r in ok if r["信用等级"] == c])["机构编码"])
small = list(dict.fromkeys(small))
while len(small) < 20:
    c = R.choice(ok)["机构编码"]
    if c not in small:
        small.append(c)
SMALL = sorted((CODES[c] for c in small), key=lambda r: (r["机构编码"][1:7], r["机构编码"]))
assert len(SMALL) == 20
SMALL_ITEMS = [r for r in ITEM_ROWS if r[0] in ("YB-01", "YB-03", "YB-04", "YB-06", "YB-09", "YB-11")]

# ---------- 写文件 ----------
def csv_bytes(header, rows, enc="utf-8-sig", lt="\n"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lt)
    w.writerow(header)
    for r in rows:
        w.writerow([r[h] for h in header] if isinstance(r, dict) else r)
    return buf.getvalue().encode(enc)

def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)

put(f"{DATA}/institutions.csv", csv_bytes(INST_HDR, INST))
put(f"{DATA}/institutions-gbk.csv", csv_bytes(INST_HDR, INST[:60], "gb18030", "\r\n"))
put(f"{DATA}/inspectors.csv", csv_bytes(INSP_HDR, INSP))
put(f"{DATA}/items.csv", csv_bytes(ITEM_HDR, ITEM_ROWS))
put(f"{DATA}/plans/2026-batch1.toml", PLAN)
put(f"{GOOD}/institutions-small.csv", csv_bytes(INST_HDR, SMALL))
put(f"{GOOD}/institutions-small-gbk.csv", csv_bytes(INST_HDR, SMALL, "gb18030", "\r\n"))
put(f"{GOOD}/inspectors-small.csv", csv_bytes(INSP_HDR, SI))
put(f"{GOOD}/items-small.csv", csv_bytes(ITEM_HDR, SMALL_ITEMS))

# 坏输入夹具：行号均指数据行（表头之后第 N 行，即文件第 N+1 行），除缺陷外均为有效数据
base = [dict(r) for r in SMALL if r["统一社会信用代码"] and r["信用等级"]][:6]
bad = lambda name, rows, header=INST_HDR: put(f"{BAD}/{name}", csv_bytes(header, rows))
mod = lambda i, rows=base, **kw: [dict(r, **kw) if j == i else dict(r) for j, r in enumerate(rows, 1)]
bad("missing-column.csv", base, [h for h in INST_HDR if h != "机构名称"])
bad("empty-required.csv", mod(4, 机构名称=""))
b3 = base[2]["统一社会信用代码"]  # 第 18 位换成另一个合法字符
bad("bad-uscc-check.csv", mod(3, 统一社会信用代码=b3[:17] + USCC_ALPHA[(USCC_ALPHA.index(b3[17]) + 7) % 31]))
bad("bad-code-format.csv", mod(2, 机构编码="X12345"))
bad("unknown-type.csv", mod(3, 机构类型="诊所药房"))
bad("unknown-credit.csv", mod(2, 信用等级="E"))
assert base[1]["机构编码"][:7] == base[2]["机构编码"][:7]  # 第 5 行：与第 2 行同类型同区县的另一家机构，编码重复
bad("duplicate-key.csv", mod(5, [base[0], base[1], base[3], base[4], base[2], base[5]], 机构编码=base[1]["机构编码"]))
put(f"{BAD}/empty.csv", b"")
bad("header-only.csv", [])
lines = csv_bytes(INST_HDR, base[:3], "utf-8").split(b"\n")  # 无 BOM，第 2 行数据的机构名称以单独的 0xFF 开头
lines[2] = lines[2].replace(b",", b",\xff", 1)
put(f"{BAD}/invalid-utf8-gbk-mix.csv", b"\n".join(lines))
bad("inspectors-unknown-conflict.csv", mod(2, SI[:4], 回避机构="H99999999999"), INSP_HDR)
bad("inspectors-bad-bool.csv", mod(3, SI[:4], 持有执法证="也许"), INSP_HDR)

# ---------- 校验 ----------
def read(path, enc="utf-8-sig"):
    raw = open(path, "rb").read()
    return raw, list(csv.reader(io.StringIO(raw.decode(enc), newline="")))
for path, hdr in [(f"{DATA}/institutions.csv", INST_HDR), (f"{DATA}/inspectors.csv", INSP_HDR),
                  (f"{DATA}/items.csv", ITEM_HDR), (f"{GOOD}/institutions-small.csv", INST_HDR),
                  (f"{GOOD}/inspectors-small.csv", INSP_HDR), (f"{GOOD}/items-small.csv", ITEM_HDR)]:
    raw, rows = read(path)
    assert raw.startswith(b"\xef\xbb\xbf") and rows[0] == hdr and len({r[0] for r in rows}) == len(rows), path
for path, n in [(f"{DATA}/institutions-gbk.csv", 60), (f"{GOOD}/institutions-small-gbk.csv", 20)]:
    raw, rows = read(path, "gb18030")
    raw.decode("gbk")  # 也在 GBK 字符集内
    assert not raw.startswith(b"\xef\xbb\xbf") and rows[0] == INST_HDR and len(rows) == n + 1, path
assert read(f"{DATA}/institutions-gbk.csv", "gb18030")[1][1:] == read(f"{DATA}/institutions.csv")[1][1:61]
for r in INST:
    c = r["机构编码"]
    assert len(c) == 12 and c[0] == ("H" if r["机构类型"] == H else "P") and c[1:7] == RC[r["所属区县"]] and c[1:].isdigit()
    u = r["统一社会信用代码"]
    assert not u or (uscc_valid(u) and u[2:8] == RC[r["所属区县"]]), u
    assert r["机构类型"] == H or not r["医院等级"]
assert len({r["机构名称"] for r in INST}) == len(INST) >= 320
assert all(c in CODES for r in INSP for c in r["回避机构"].split("、") if c)
assert all(r["回避机构"] in {x["机构编码"] for x in SMALL} for r in SI if r["回避机构"])
assert feasible(INSP, RC) and feasible(SI, {r["所属区县"] for r in SMALL})
cert = [r for r in INSP if r["持有执法证"] == "是"]
assert len(INSP) >= 48 and len(cert) >= 20 and [r["状态"] for r in INSP].count("停用") == 2
assert sum("医学" in r["专业"] for r in INSP) >= 12 and sum("药学" in r["专业"] for r in INSP) >= 8
assert not uscc_valid(read(f"{BAD}/bad-uscc-check.csv")[1][3][2])
raw = open(f"{BAD}/invalid-utf8-gbk-mix.csv", "rb").read()
raw.split(b"\n")[0].decode("utf-8")
assert all(raw.decode(e, "replace") != raw.decode(e, "ignore") for e in ("utf-8", "gb18030", "gbk"))

# ---------- 汇总 ----------
def show(title, counter):
    print(f"{title}: " + "  ".join(f"{k or '(空)'}={v}" for k, v in sorted(counter.items())))
print(f"机构 {len(INST)} 家（小样本 {len(SMALL)}），人员 {len(INSP)} 名（小样本 {len(SI)}），事项 {len(ITEM_ROWS)} 项")
show("机构类型", collections.Counter(r["机构类型"] for r in INST))
show("经营性质", collections.Counter(r["经营性质"] for r in INST))
show("医院等级", collections.Counter(r["医院等级"] for r in INST if r["机构类型"] == H))
show("信用等级", collections.Counter(r["信用等级"] for r in INST))
show("状态", collections.Counter(r["状态"] for r in INST))
print("统一社会信用代码为空:", sum(not r["统一社会信用代码"] for r in INST))
for reg, rc in REGIONS:
    rs = [r for r in INST if r["所属区县"] == reg]
    show(f"  {reg} {rc} 共{len(rs)}", collections.Counter(r["机构类型"][:2] + r["信用等级"] for r in rs))
show("人员所属区县", collections.Counter(r["所属区县"] for r in INSP))
print("持证", len(cert), " 医学", sum("医学" in r["专业"] for r in INSP), " 药学",
      sum("药学" in r["专业"] for r in INSP), " 有回避机构", sum(bool(r["回避机构"]) for r in INSP))
show("事项适用对象", collections.Counter(r[2] for r in ITEM_ROWS))
