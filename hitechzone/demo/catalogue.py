"""The 169 powers the 24 municipal departments delegated to the zone's administrative service centre.

The article: "通过委托授权、管辖授权、见章跟章、委托办理等方式，下放了24个市级职能部门共169项权限 … 原来审批需要1个月
甚至半年时间的事项，缩短为最快5个工作日完成". Pure data plus `check()`; no Django imports.

Each department's items are written as compact rows and expanded by `_expand` into dicts:

    (name, mode, statutory_limit, promised_limit, pre_reform_days, fees, legal_basis, materials)

- limits and pre-reform durations are working days; promised 0 means 即办件 (immediate), otherwise 承诺件;
- fees None means 不收费;
- materials is a "|"-separated list of ``name/flags``; ``@KEY`` stands for a shared material in `SHARED`.
  Flags: o optional, t 容缺 (tolerable), c 复印件 (copy; default original), f blank form, s filled-in sample.
  The first material is always the application form (never tolerable).
"""

import re
from collections import Counter

from hitechzone.demo.reference import DEPARTMENTS

REGION = "330800"  # 衢州市

MODES = {"entrusted": "委托授权", "jurisdiction": "管辖授权", "seal_follow": "见章跟章", "agency": "委托办理"}

ITEM_TYPES = {"immediate": "即办件", "commitment": "承诺件"}

TOTAL_ITEMS = 169
MIN_PER_DEPARTMENT = 2
MIN_PER_MODE = 15
MIN_TOLERABLE_ITEMS = 30
MIN_FIVE_DAY_ITEMS = 10
PRE_REFORM_RANGE = (22, 130)  # ≈ one month … half a year, in working days
MATERIALS_RANGE = (2, 8)
MAX_NAME_LENGTH = 60

SHARED = {
    "LIC": "营业执照/c",
    "AGT": "授权委托书及受托人身份证明/oc",
    "PRJ": "项目审批、核准或备案文件/ct",
    "PLAN": "建设工程规划许可证/c",
}

FLAG_LETTERS = set("otcfs")

REAL_ESTATE_FEE = (
    "按《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）标准收取"
)
CIVIL_DEFENCE_FEE = "按省物价、财政部门核定的防空地下室易地建设费标准收取"
EMISSION_RIGHTS_FEE = "按省物价、财政部门核定的排污权有偿使用费标准收取"

SC412 = "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）"
ENTERPRISE_INVESTMENT = "《企业投资项目核准和备案管理条例》"
PLANNING_LAW = "《中华人民共和国城乡规划法》"
HAZCHEM = "《危险化学品安全管理条例》"
EIA_LAW = "《中华人民共和国环境影响评价法》"
ROAD_TRANSPORT = "《中华人民共和国道路运输条例》"
MARKET_ENTITY = "《中华人民共和国市场主体登记管理条例》"
LIGHTNING = "《中华人民共和国气象法》第三十一条；《雷电防护装置设计审核和竣工验收规定》"

# fmt: off
ROWS = {
    "fgw": [
        ("企业投资项目备案", "entrusted", 0, 0, 22, None, f"{ENTERPRISE_INVESTMENT}第三条、第十三条",
         "企业投资项目备案信息登记表/fs|@LIC|项目建设内容及规模说明|@AGT"),
        ("企业投资项目核准", "entrusted", 20, 5, 65, None, f"{ENTERPRISE_INVESTMENT}第三条、第十一条",
         "企业投资项目核准申请报告/fs|@LIC|建设项目用地预审与选址意见书/ct|固定资产投资项目节能审查意见/ct"
         "|项目单位关于申报材料真实性的承诺书/fs|@AGT"),
        ("固定资产投资项目节能审查", "seal_follow", 20, 5, 55, None,
         "《中华人民共和国节约能源法》第十五条；《固定资产投资项目节能审查办法》",
         "固定资产投资项目节能审查申请函/fs|固定资产投资项目节能报告|@PRJ|@LIC"),
        ("政府投资项目建议书审批", "jurisdiction", 20, 5, 45, None, "《政府投资条例》第九条",
         "项目建议书审批申请文件/fs|项目建议书|项目单位法人证书或营业执照/c"),
        ("政府投资项目可行性研究报告审批", "jurisdiction", 20, 5, 60, None, "《政府投资条例》第九条、第十条",
         "可行性研究报告审批申请文件/fs|可行性研究报告|项目建议书批复文件/c|建设项目用地预审与选址意见书/ct"
         "|固定资产投资项目节能审查意见/ct|社会稳定风险评估报告/o"),
        ("政府投资项目初步设计审批", "jurisdiction", 20, 10, 75, None, "《政府投资条例》第十一条",
         "初步设计审批申请文件/fs|初步设计文本及概算书|可行性研究报告批复文件/c|建设用地规划许可证/ct"),
        ("外商投资项目核准", "entrusted", 20, 10, 60, None,
         "《外商投资项目核准和备案管理办法》（国家发展改革委令第12号）",
         "外商投资项目核准申请报告/fs|投资者营业执照或注册证明/c|投资者最近一期经审计的财务报表/c"
         "|建设项目用地预审与选址意见书/ct|@AGT"),
        ("外商投资项目备案", "entrusted", 0, 0, 22, None,
         "《外商投资项目核准和备案管理办法》（国家发展改革委令第12号）",
         "外商投资项目备案信息登记表/fs|投资者营业执照或注册证明/c|@AGT"),
        ("依法必须招标项目的招标范围、招标方式和招标组织形式核准", "seal_follow", 20, 3, 30, None,
         "《中华人民共和国招标投标法实施条例》第七条", "招标事项核准申请表/fs|项目审批或核准申请文件/c|@LIC"),
        ("企业投资项目核准延期开工审核", "agency", 20, 3, 30, None, f"{ENTERPRISE_INVESTMENT}第十二条",
         "项目延期开工建设申请/fs|原项目核准文件/c|项目前期工作进展情况说明"),
    ],
    "jxj": [
        ("企业技术改造投资项目备案", "agency", 0, 0, 22, None, f"{ENTERPRISE_INVESTMENT}第十三条",
         "技术改造投资项目备案信息表/fs|@LIC|技术改造项目情况说明"),
        ("无线电台（站）设置、使用许可", "entrusted", 20, 10, 40, None, "《中华人民共和国无线电管理条例》第二十七条",
         "无线电台（站）设置申请表/fs|@LIC|无线电发射设备型号核准证/c|台站技术资料及拟用频率说明"),
        ("第二类监控化学品使用许可初审", "seal_follow", 20, 10, 45, None,
         "《中华人民共和国监控化学品管理条例》；《〈中华人民共和国监控化学品管理条例〉实施细则》",
         "第二类监控化学品使用许可申请表/fs|@LIC|使用第二类监控化学品的用途及数量说明|安全生产管理制度/c"),
        ("民用爆炸物品销售许可初审", "seal_follow", 30, 10, 60, None, "《民用爆炸物品安全管理条例》第十八条",
         "民用爆炸物品销售许可申请书/fs|@LIC|储存设施安全评价报告|仓库消防验收合格证明/ct|安全管理制度"),
        ("重点用能单位能源利用状况报告审查", "agency", 20, 5, 30, None, "《中华人民共和国节约能源法》第五十三条",
         "重点用能单位能源利用状况报告/fs|能源计量统计台账/c"),
    ],
    "kjj": [
        ("外国人来华工作许可", "entrusted", 10, 5, 25, None,
         "《中华人民共和国出境入境管理法》第四十一条；《外国人在中国就业管理规定》",
         "外国人来华工作许可申请表/fs|工作资历证明|最高学位（学历）证书/c|无犯罪记录证明|体检证明/t"
         "|劳动合同或聘用意向书/c|护照/c|近期正面免冠照片"),
        ("技术合同认定登记", "agency", 30, 3, 22, None, "《技术合同认定登记管理办法》",
         "技术合同认定登记申请表/fs|技术合同文本|@LIC"),
        ("高新技术企业认定推荐", "seal_follow", 20, 10, 60, None,
         "《高新技术企业认定管理办法》（国科发火〔2016〕32号）",
         "高新技术企业认定申请书/fs|@LIC|知识产权相关材料/c|近三个会计年度财务会计报告/c"
         "|研究开发费用和高新技术产品（服务）收入专项审计报告|科技人员情况说明"),
    ],
    "gaj": [
        ("剧毒化学品购买许可", "entrusted", 3, 1, 22, None, f"{HAZCHEM}第三十九条",
         "剧毒化学品购买许可证申请表/fs|@LIC|经办人身份证明/c|购买剧毒化学品用途说明"),
        ("剧毒化学品道路运输通行证核发", "entrusted", 7, 3, 22, None, f"{HAZCHEM}第五十条",
         "剧毒化学品道路运输通行证申请表/fs|拟运输的剧毒化学品品种、数量说明|运输始发地、目的地、运输时间和运输路线说明"
         "|承运人道路危险货物运输许可证/c|驾驶人员、押运人员从业资格证/c|购买剧毒化学品的相关许可证件/c"),
        ("第一类易制毒化学品运输许可", "entrusted", 10, 5, 25, None, "《易制毒化学品管理条例》第二十条、第二十一条",
         "易制毒化学品运输许可申请表/fs|易制毒化学品购买许可证或备案证明/c|承运人运输资质证明/c|@AGT"),
        ("第二类、第三类易制毒化学品购买备案", "agency", 0, 0, 22, None, "《易制毒化学品管理条例》第十七条",
         "易制毒化学品购买备案申请表/fs|@LIC|购买易制毒化学品用途说明"),
        ("大型群众性活动安全许可", "jurisdiction", 7, 5, 25, None, "《大型群众性活动安全管理条例》第十一条、第十二条",
         "大型群众性活动安全许可申请表/fs|承办者合法成立的证明及安全责任人身份证明/c|大型群众性活动方案及其说明"
         "|大型群众性活动安全工作方案|活动场所管理者同意提供活动场所的证明/t"),
        ("旅馆业特种行业许可证核发", "jurisdiction", 20, 5, 30, None, "《旅馆业治安管理办法》第四条",
         "旅馆业特种行业许可证申请表/fs|@LIC|经营场所平面图|安全保卫制度|消防安全检查合格证明/ct"),
    ],
    "mzj": [
        ("养老机构备案", "agency", 0, 0, 22, None, "《中华人民共和国老年人权益保障法》第四十三条；《养老机构管理办法》",
         "养老机构备案书/fs|登记证书或营业执照/c|养老机构服务安全承诺书/fs"),
        ("民办非企业单位成立登记", "jurisdiction", 60, 10, 60, None,
         "《民办非企业单位登记管理暂行条例》第九条、第十一条",
         "民办非企业单位成立登记申请书/fs|业务主管单位批准文件/c|场所使用权证明/c|验资报告/t"
         "|拟任负责人基本情况及身份证明/c|章程草案/s"),
        ("建筑物名称命名、更名审批", "seal_follow", 20, 5, 30, None, "《地名管理条例》；《浙江省地名管理办法》",
         "建筑物名称命名（更名）申请表/fs|@PLAN|总平面图/c"),
    ],
    "czj": [
        ("政府采购进口产品审核", "seal_follow", 20, 5, 30, None,
         "《中华人民共和国政府采购法》第十条；《政府采购进口产品管理办法》（财库〔2007〕119号）",
         "政府采购进口产品申请表/fs|专家论证意见|主管预算单位意见"),
        ("政府采购采用公开招标以外采购方式审批", "seal_follow", 20, 5, 30, None,
         "《中华人民共和国政府采购法》第二十七条；《政府采购非招标采购方式管理办法》",
         "政府采购方式变更申请表/fs|项目概况及变更理由说明|专家论证意见/c"),
    ],
    "rsj": [
        ("劳务派遣经营许可", "entrusted", 20, 5, 30, None,
         "《中华人民共和国劳动合同法》第五十七条；《劳务派遣行政许可实施办法》",
         "劳务派遣经营许可申请书/fs|@LIC|注册资本实缴证明/c|经营场所使用证明/c|劳务派遣管理制度|法定代表人身份证明/c"),
        ("企业实行不定时工作制和综合计算工时工作制审批", "entrusted", 20, 5, 30, None,
         "《中华人民共和国劳动法》第三十九条；《关于企业实行不定时工作制和综合计算工时工作制的审批办法》",
         "特殊工时制度审批申请表/fs|@LIC|职工代表大会或工会意见/t|实行特殊工时制度的岗位及人员名单"),
        ("人力资源服务许可", "entrusted", 20, 5, 30, None, "《人力资源市场暂行条例》第十八条",
         "人力资源服务许可申请书/fs|@LIC|经营场所使用证明/c|专职工作人员学历及资格证明/c|工作规章制度"),
        ("民办职业培训学校设立审批", "jurisdiction", 60, 20, 90, None,
         "《中华人民共和国民办教育促进法》第十二条；《中华人民共和国民办教育促进法实施条例》",
         "民办职业培训学校设立申请报告/fs|举办者资格证明/c|拟办学校章程|校舍使用证明/c|资产来源证明/c"
         "|拟聘校长及教师资格证明/ct"),
        ("社会保险登记", "agency", 0, 0, 22, None, "《中华人民共和国社会保险法》第五十七条",
         "社会保险登记表/fs|@LIC"),
    ],
    "zrzyj": [
        ("建设项目用地预审与选址意见书核发", "seal_follow", 20, 5, 90, None,
         f"《中华人民共和国土地管理法》第五十二条；{PLANNING_LAW}第三十六条",
         "建设项目用地预审与选址申请表/fs|项目建议书或项目申请报告/c|建设项目拟选位置及用地范围图"
         "|土地利用规划符合性说明|节地评价报告/o"),
        ("建设用地规划许可证核发", "entrusted", 20, 5, 75, None, f"{PLANNING_LAW}第三十七条、第三十八条",
         "建设用地规划许可申请表/fs|@PRJ|国有建设用地使用权出让合同/c|建设项目用地预审与选址意见书/c|用地红线图|@AGT"),
        ("建设工程规划许可证核发", "entrusted", 20, 5, 80, None, f"{PLANNING_LAW}第四十条",
         "建设工程规划许可申请表/fs|不动产权证书（国有建设用地使用权）/ct|建设工程设计方案文本|总平面图"
         "|建设用地规划许可证/c"),
        ("乡村建设规划许可证核发", "jurisdiction", 20, 10, 60, None, f"{PLANNING_LAW}第四十一条",
         "乡村建设规划许可申请表/fs|村民委员会意见/t|建设工程设计方案|土地权属证明/c"),
        ("临时建设工程规划许可证核发", "jurisdiction", 20, 5, 45, None, f"{PLANNING_LAW}第四十四条",
         "临时建设工程规划许可申请表/fs|临时用地批准文件/ct|临时建设设计方案|到期自行拆除承诺书/fs"),
        ("建设工程规划核实", "entrusted", 20, 5, 60, None, f"{PLANNING_LAW}第四十五条",
         "建设工程规划核实申请表/fs|@PLAN|竣工测量成果报告|竣工图/c"),
        ("建设工程设计方案审查", "seal_follow", 20, 5, 75, None, f"{PLANNING_LAW}第四十条",
         "建设工程设计方案审查申请表/fs|规划条件/c|建设工程设计方案文本及电子文件"),
        ("临时用地审批", "jurisdiction", 20, 10, 45, None, "《中华人民共和国土地管理法》第五十七条",
         "临时用地申请表/fs|临时使用土地合同|土地复垦方案报告表/t|用地界址图"),
        ("国有建设用地使用权协议出让审核", "seal_follow", 20, 10, 110, None,
         "《协议出让国有土地使用权规定》（国土资源部令第21号）",
         "协议出让国有建设用地使用权申请书/fs|@PRJ|土地估价报告|用地界址图|@LIC"),
        ("划拨国有建设用地使用权转让、出租、抵押审批", "seal_follow", 20, 10, 60, None,
         "《中华人民共和国城镇国有土地使用权出让和转让暂行条例》第四十五条",
         "划拨土地使用权转让（出租、抵押）申请表/fs|不动产权证书/c|转让（出租、抵押）合同|土地估价报告/t"),
        ("国有建设用地使用权首次登记", "agency", 30, 3, 30, REAL_ESTATE_FEE, "《不动产登记暂行条例》第十四条、第二十条",
         "不动产登记申请书/fs|申请人身份证明/c|国有建设用地使用权出让合同及土地出让价款缴纳凭证/c|不动产权籍调查成果"
         "|完税凭证/t"),
        ("不动产抵押权登记", "agency", 30, 1, 22, REAL_ESTATE_FEE,
         "《不动产登记暂行条例》第五条、第十四条；《中华人民共和国民法典》第四百零二条",
         "不动产登记申请书/fs|申请人身份证明/c|不动产权证书|主债权合同及抵押合同"),
        ("建设项目压覆重要矿产资源审批", "seal_follow", 20, 10, 60, None, "《中华人民共和国矿产资源法》第三十三条",
         "压覆重要矿产资源申请表/fs|建设项目压覆矿产资源评估报告|与矿业权人签订的补偿协议/t|@PRJ"),
        ("地质灾害危险性评估报告备案", "agency", 5, 0, 22, None, "《地质灾害防治条例》第二十一条",
         "地质灾害危险性评估报告备案登记表/fs|地质灾害危险性评估报告|评估报告专家审查意见"),
        ("土地复垦方案审查", "jurisdiction", 20, 5, 40, None, "《土地复垦条例》；《土地复垦条例实施办法》",
         "土地复垦方案审查申请表/fs|土地复垦方案报告书|@PRJ"),
    ],
    "sthjj": [
        ("建设项目环境影响评价文件审批（报告书）", "entrusted", 60, 10, 120, None, f"{EIA_LAW}第二十二条",
         "建设项目环境影响评价文件审批申请表/fs|环境影响报告书（全本及公示本）|@PRJ|公众参与说明"
         "|主要污染物排放总量指标来源说明/t|@AGT"),
        ("建设项目环境影响评价文件审批（报告表）", "entrusted", 30, 5, 70, None, f"{EIA_LAW}第二十二条",
         "建设项目环境影响评价文件审批申请表/fs|环境影响报告表（全本及公示本）|@PRJ|主要污染物排放总量指标来源说明/t"),
        ("建设项目环境影响登记表备案", "agency", 0, 0, 22, None,
         f"{EIA_LAW}第十六条；《建设项目环境影响登记表备案管理办法》", "建设项目环境影响登记表/fs|@LIC"),
        ("排污许可证核发", "entrusted", 30, 10, 45, None,
         "《中华人民共和国环境保护法》第四十五条；《排污许可管理条例》",
         "排污许可证申请表/fs|自行监测方案|守法承诺书/fs|环境影响评价文件审批文件/ct|排污口和监测孔规范化设置情况说明"),
        ("危险废物经营许可证核发", "seal_follow", 20, 10, 100, None,
         "《中华人民共和国固体废物污染环境防治法》第八十条；《危险废物经营许可证管理办法》",
         "危险废物经营许可证申请书/fs|@LIC|环境影响评价文件审批文件/c|危险废物经营设施竣工验收材料"
         "|专业技术人员资格证明/c|危险废物经营管理制度及事故应急救援措施|运输工具清单/o"),
        ("辐射安全许可证核发", "entrusted", 20, 5, 40, None,
         "《中华人民共和国放射性污染防治法》第二十八条；《放射性同位素与射线装置安全和防护条例》第五条",
         "辐射安全许可证申请表/fs|辐射安全与防护管理制度|辐射工作人员培训合格证明/c|环境影响评价文件审批文件/ct"),
        ("建设项目主要污染物排放总量指标审核", "seal_follow", 20, 5, 40, None,
         "《中华人民共和国大气污染防治法》第二十一条；《浙江省建设项目环境保护管理办法》",
         "总量指标审核申请表/fs|总量指标来源说明|排污权交易凭证/t"),
        ("危险废物管理计划备案", "agency", 0, 0, 22, None, "《中华人民共和国固体废物污染环境防治法》第七十八条",
         "危险废物管理计划/fs|@LIC"),
        ("入河排污口设置审核", "seal_follow", 20, 10, 60, None,
         "《中华人民共和国水法》第三十四条；《入河排污口监督管理办法》",
         "入河排污口设置申请书/fs|入河排污口设置论证报告|@PRJ"),
        ("突发环境事件应急预案备案", "agency", 0, 0, 22, None,
         "《中华人民共和国环境保护法》第四十七条；《企业事业单位突发环境事件应急预案备案管理办法（试行）》",
         "突发环境事件应急预案备案表/fs|环境应急预案及编制说明|环境风险评估报告|环境应急资源调查报告|专家评审意见/c"),
        ("排污权有偿使用和交易审核", "jurisdiction", 20, 5, 30, EMISSION_RIGHTS_FEE,
         "《中华人民共和国环境保护法》第四十四条", "排污权有偿使用和交易申请表/fs|@LIC|建设项目总量指标审核意见/c"),
    ],
    "zjj": [
        ("建筑工程施工许可证核发", "entrusted", 7, 3, 60, None,
         "《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》",
         "建筑工程施工许可申请表/fs|@PLAN|施工、监理中标通知书及合同/c|施工图设计文件审查合格书/ct"
         "|建设资金已经落实承诺书/fs|质量安全监督手续/t"),
        ("建设工程竣工验收备案", "agency", 15, 0, 30, None, "《建设工程质量管理条例》第四十九条",
         "房屋建筑和市政基础设施工程竣工验收备案表/fs|工程竣工验收报告|施工单位签署的工程质量保修书/c"
         "|建设工程消防验收合格意见或备案凭证/c|住宅质量保证书和住宅使用说明书/o"),
        ("商品房预售许可", "entrusted", 10, 5, 45, None,
         "《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》",
         "商品房预售许可申请表/fs|@LIC|不动产权证书（国有建设用地使用权）/c|@PLAN|建筑工程施工许可证/c"
         "|工程施工进度证明|商品房预售方案|预售资金监管协议/t"),
        ("建设工程消防设计审查", "entrusted", 15, 5, 60, None,
         "《中华人民共和国消防法》第十一条；《建设工程消防设计审查验收管理暂行规定》",
         "建设工程消防设计审查申请表/fs|消防设计文件|@PRJ|特殊消防设计技术资料/o"),
        ("建设工程消防验收", "entrusted", 15, 5, 60, None,
         "《中华人民共和国消防法》第十三条；《建设工程消防设计审查验收管理暂行规定》",
         "建设工程消防验收申请表/fs|工程竣工验收报告|涉及消防的建设工程竣工图纸|消防设施检测报告/t"),
        ("建设工程消防验收备案", "agency", 0, 0, 30, None, "《中华人民共和国消防法》第十三条",
         "建设工程消防验收备案表/fs|工程竣工验收报告|涉及消防的建设工程竣工图纸"),
        ("建筑业企业资质核准", "jurisdiction", 20, 10, 45, None,
         "《中华人民共和国建筑法》第十三条；《建筑业企业资质管理规定》",
         "建筑业企业资质申请表/fs|@LIC|企业章程/c|主要人员注册证书及社会保险证明/c|技术装备情况说明"),
        ("房地产开发企业资质核定", "jurisdiction", 20, 5, 30, None,
         "《城市房地产开发经营管理条例》第九条；《房地产开发企业资质管理规定》",
         "房地产开发企业资质申请表/fs|@LIC|企业章程/c|专业技术人员资格证书及劳动合同/c"),
        ("房屋建筑和市政基础设施工程施工图设计文件审查备案", "agency", 0, 0, 30, None,
         "《建设工程质量管理条例》第十一条；《房屋建筑和市政基础设施工程施工图设计文件审查管理办法》",
         "施工图设计文件审查备案表/fs|施工图审查合格书/c|审查机构审查意见"),
        ("城镇污水排入排水管网许可", "jurisdiction", 15, 5, 30, None,
         "《城镇排水与污水处理条例》第二十一条；《城镇污水排入排水管网许可管理办法》",
         "城镇污水排入排水管网许可申请表/fs|@LIC|排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明"
         "|排水水质检测报告/t"),
        ("占用、挖掘城市道路审批", "jurisdiction", 20, 3, 25, None, "《城市道路管理条例》第二十九条、第三十条",
         "占用、挖掘城市道路申请表/fs|施工方案及交通组织方案|@PLAN|道路恢复承诺书/fs"),
        ("建设工程竣工档案验收", "agency", 20, 3, 25, None, "《城市建设档案管理规定》",
         "建设工程竣工档案验收申请表/fs|建设工程竣工档案|竣工图/c"),
        ("依法必须招标的房屋建筑和市政工程招标投标情况书面报告备案", "agency", 0, 0, 22, None,
         "《中华人民共和国招标投标法》第四十七条", "招标投标情况书面报告/fs|中标通知书/c|评标委员会评标报告/c"),
        ("燃气经营许可证核发", "entrusted", 20, 10, 45, None, "《城镇燃气管理条例》第十五条",
         "燃气经营许可申请表/fs|@LIC|燃气设施建设工程竣工验收文件/c|企业主要负责人、安全生产管理人员及运行维护和抢修人员培训考核合格证明/c"
         "|燃气安全管理制度|燃气事故应急预案/t"),
        ("建筑起重机械使用登记", "agency", 7, 0, 22, None, "《建设工程安全生产管理条例》第三十五条",
         "建筑起重机械使用登记表/fs|建筑起重机械备案证明/c|检验检测报告和安装验收资料/c"),
        ("商品房现售备案", "agency", 0, 0, 22, None, "《商品房销售管理办法》第七条、第八条",
         "商品房现售备案表/fs|@LIC|房地产开发企业资质证书/c|不动产权证书/c|竣工验收备案证明/c"),
        ("商品房买卖合同网签备案", "agency", 0, 0, 22, None, "《中华人民共和国城市房地产管理法》第四十五条",
         "商品房买卖合同网签备案申请表/fs|商品房买卖合同|买受人身份证明/c"),
    ],
    "jtysj": [
        ("道路货物运输经营许可", "jurisdiction", 20, 3, 25, None, f"{ROAD_TRANSPORT}第二十一条、第二十四条",
         "道路货物运输经营申请表/fs|@LIC|拟投入车辆承诺书/fs|驾驶人员从业资格证/ct|安全生产管理制度"),
        ("道路危险货物运输许可", "entrusted", 20, 5, 45, None,
         f"{ROAD_TRANSPORT}第二十三条、第二十四条；《道路危险货物运输管理规定》",
         "道路危险货物运输经营申请表/fs|@LIC|拟投入专用车辆承诺书/fs|驾驶人员、装卸管理人员、押运人员从业资格证/ct"
         "|停车场地使用证明/c|安全生产管理制度"),
        ("道路旅客运输经营许可", "entrusted", 20, 5, 40, None, f"{ROAD_TRANSPORT}第八条、第十条",
         "道路旅客运输经营申请表/fs|@LIC|拟投入客车承诺书/fs|驾驶人员从业资格证/ct|安全生产管理制度"),
        ("机动车维修经营备案", "agency", 0, 0, 22, None, f"{ROAD_TRANSPORT}第三十七条、第四十条",
         "机动车维修经营备案表/fs|@LIC|维修设备设施清单|技术人员从业资格证明/c"),
        ("超限运输车辆行驶公路许可", "entrusted", 15, 2, 22, None,
         "《中华人民共和国公路法》第五十条；《公路安全保护条例》第三十五条",
         "公路超限运输申请表/fs|车辆行驶证/c|驾驶人驾驶证/c|货物证明及运输方案"),
        ("涉路施工许可", "jurisdiction", 20, 5, 40, None,
         "《中华人民共和国公路法》第四十四条、第四十五条；《公路安全保护条例》第二十七条",
         "涉路工程施工许可申请表/fs|设计和施工方案|保障公路及公路附属设施质量和安全的技术评价报告/t"
         "|处置施工险情和意外事故的应急预案"),
        ("公路建设项目施工许可", "seal_follow", 20, 5, 60, None,
         "《中华人民共和国公路法》第二十五条；《公路建设市场管理办法》",
         "公路建设项目施工许可申请书/fs|施工图设计文件批复/c|施工、监理合同/c|质量监督手续/t"),
        ("公路建设项目施工图设计文件审批", "seal_follow", 20, 10, 75, None,
         "《建设工程质量管理条例》第十一条；《公路建设市场管理办法》",
         "施工图设计审批申请书/fs|施工图设计文件|初步设计批复文件/c"),
        ("港口经营许可", "entrusted", 30, 10, 45, None, "《中华人民共和国港口法》第二十二条；《港口经营管理规定》",
         "港口经营许可申请书/fs|@LIC|港口设施使用证明/c|安全生产管理制度|@AGT"),
    ],
    "slj": [
        ("取水许可", "entrusted", 45, 10, 90, None,
         "《中华人民共和国水法》第七条、第四十八条；《取水许可和水资源费征收管理条例》",
         "取水许可申请书/fs|建设项目水资源论证报告|与第三者利害关系的相关说明/t|@PRJ"),
        ("生产建设项目水土保持方案审批", "entrusted", 20, 5, 60, None, "《中华人民共和国水土保持法》第二十五条",
         "水土保持方案审批申请表/fs|水土保持方案报告书（报告表）|@PRJ"),
        ("洪水影响评价类审批", "seal_follow", 20, 5, 60, None,
         "《中华人民共和国水法》第三十八条；《中华人民共和国防洪法》第二十七条、第三十三条",
         "洪水影响评价类审批申请书/fs|洪水影响评价报告|@PRJ"),
        ("水工程建设规划同意书审核", "seal_follow", 20, 5, 45, None,
         "《中华人民共和国水法》第十九条；《中华人民共和国防洪法》第十七条",
         "水工程建设规划同意书申请表/fs|水工程建设规划同意书论证报告|@PRJ"),
        ("河道采砂许可", "jurisdiction", 20, 10, 45, None, "《中华人民共和国水法》第三十九条",
         "河道采砂申请书/fs|采砂作业方式及作业范围说明|采砂船舶、机具证明/c"),
        ("水利基本建设项目初步设计文件审批", "jurisdiction", 20, 10, 75, None,
         "《政府投资条例》第十一条；《水利工程建设项目管理规定（试行）》",
         "初步设计审批申请文件/fs|初步设计报告|可行性研究报告批复/c"),
        ("城市建设填堵水域、废除围堤审核", "seal_follow", 20, 10, 60, None, "《中华人民共和国防洪法》第三十四条",
         "填堵水域、废除围堤申请书/fs|填堵水域、废除围堤论证报告|水域功能补偿方案/t"),
        ("水利工程建设项目开工备案", "agency", 0, 0, 22, None, "《水利工程建设项目管理规定（试行）》",
         "水利工程开工备案表/fs|初步设计批复/c|施工合同/c|质量监督手续/t"),
        ("水利工程竣工验收", "jurisdiction", 20, 10, 60, None, "《水利工程建设项目验收管理规定》",
         "竣工验收申请报告/fs|竣工验收技术鉴定报告|竣工决算审计报告/c"),
    ],
    "nyncj": [
        ("农药经营许可", "jurisdiction", 20, 5, 30, None,
         "《农药管理条例》第二十四条、第二十五条；《农药经营许可管理办法》",
         "农药经营许可证申请表/fs|@LIC|经营人员农学等相关专业学历或培训证明/c|营业场所和仓储场所地址、面积、平面图"
         "|农药经营质量管理制度"),
        ("兽药经营许可证核发", "jurisdiction", 30, 10, 40, None, "《兽药管理条例》第二十二条",
         "兽药经营许可证申请表/fs|@LIC|营业场所、仓库平面图|质量管理人员资格证明/c|质量管理制度"),
        ("动物防疫条件合格证核发", "entrusted", 15, 5, 40, None,
         "《中华人民共和国动物防疫法》；《动物防疫条件审查办法》",
         "动物防疫条件审查申请表/fs|场所地理位置图、各功能区布局平面图|设施设备清单|管理制度文本|人员情况/c"),
        ("农作物种子生产经营许可证核发", "entrusted", 20, 10, 40, None, "《中华人民共和国种子法》第三十一条",
         "农作物种子生产经营许可证申请表/fs|@LIC|种子检验人员资格证明/c|仓储和检验设施设备证明/c"),
        ("动物诊疗许可证核发", "jurisdiction", 20, 5, 30, None,
         "《中华人民共和国动物防疫法》；《动物诊疗机构管理办法》",
         "动物诊疗许可证申请表/fs|诊疗场所地理方位图、室内平面图/c|诊疗场所使用权证明/c|执业兽医资格证书/c"),
        ("拖拉机和联合收割机登记", "agency", 2, 0, 22, None, "《农业机械安全监督管理条例》第二十一条",
         "拖拉机和联合收割机登记业务申请表/fs|机主身份证明/c|来历证明|出厂合格证明/c"),
    ],
    "swj": [
        ("成品油零售经营资格审批", "seal_follow", 20, 10, 60, None, SC412,
         "成品油零售经营资格申请表/fs|@LIC|加油站规划确认文件/c|危险化学品经营许可证/ct|加油站消防验收意见/c"),
        ("对外劳务合作经营资格核准", "entrusted", 20, 5, 30, None, "《对外劳务合作管理条例》第五条、第七条",
         "对外劳务合作经营资格申请书/fs|@LIC|经营场所证明/c|风险处置备用金缴存证明/t|管理制度"),
        ("技术进出口合同登记", "agency", 3, 0, 22, None, "《中华人民共和国技术进出口管理条例》第十七条、第十八条",
         "技术进出口合同登记申请书/fs|技术进出口合同副本/c|签约双方法律地位证明/c"),
        ("单用途商业预付卡发卡企业备案", "agency", 0, 0, 22, None, "《单用途商业预付卡管理办法（试行）》",
         "单用途卡发卡企业备案表/fs|@LIC|预付卡章程或简章"),
    ],
    "wgltj": [
        ("营业性演出审批", "jurisdiction", 3, 2, 22, None, "《营业性演出管理条例》第十三条",
         "营业性演出申请登记表/fs|演出节目内容材料|演员身份证明/c|演出场地协议/t"),
        ("娱乐场所经营许可", "jurisdiction", 20, 5, 30, None, "《娱乐场所管理条例》第九条",
         "娱乐经营许可证申请书/fs|@LIC|投资人、法定代表人身份证明/c|消防安全检查合格证明/ct|营业场所平面图"),
        ("互联网上网服务营业场所经营单位设立审批", "jurisdiction", 20, 5, 30, None,
         "《互联网上网服务营业场所管理条例》第十条、第十一条",
         "上网服务营业场所经营许可申请书/fs|@LIC|营业场所产权证明或租赁合同/c|信息网络安全审核意见/t"),
        ("旅行社设立许可", "entrusted", 20, 5, 30, None, "《中华人民共和国旅游法》第二十八条；《旅行社条例》第六条",
         "旅行社设立申请书/fs|@LIC|经营场所证明/c|营业设施、设备证明"),
        ("文物保护单位建设控制地带内建设工程设计方案审核", "seal_follow", 20, 10, 60, None,
         "《中华人民共和国文物保护法》第十八条",
         "建设工程设计方案审核申请表/fs|建设工程设计方案|文物影响评估报告/t|项目位置图"),
    ],
    "wjw": [
        ("公共场所卫生许可", "jurisdiction", 20, 5, 25, None, "《公共场所卫生管理条例》第八条",
         "公共场所卫生许可申请书/fs|@LIC|公共场所地址方位示意图、平面图和卫生设施平面布局图|卫生检测或评价报告/t|卫生管理制度"),
        ("医疗机构设置审批", "seal_follow", 30, 10, 60, None, "《医疗机构管理条例》第九条、第十条",
         "设置医疗机构申请书/fs|设置可行性研究报告|选址报告和建筑设计平面图|设置人资格证明/c"),
        ("医疗机构执业登记", "seal_follow", 45, 10, 60, None, "《医疗机构管理条例》第十五条",
         "医疗机构执业登记申请书/fs|设置医疗机构批准书/c|医疗机构用房产权证明或使用证明/c|医疗机构建筑设计平面图"
         "|规章制度|医务人员资格证明/c"),
        ("放射诊疗许可", "entrusted", 20, 5, 40, None, "《放射诊疗管理规定》第十一条",
         "放射诊疗许可申请表/fs|医疗机构执业许可证/c|放射诊疗设备清单|放射诊疗建设项目竣工验收合格证明/t"
         "|放射工作人员资格证明/c"),
        ("放射诊疗建设项目职业病危害放射防护预评价审核", "seal_follow", 20, 5, 40, None,
         "《中华人民共和国职业病防治法》第十七条；《放射诊疗建设项目卫生审查管理规定》",
         "放射诊疗建设项目职业病危害放射防护预评价审核申请表/fs|放射防护预评价报告|@PRJ"),
        ("饮用水供水单位卫生许可", "entrusted", 20, 5, 30, None,
         "《中华人民共和国传染病防治法》第二十九条；《生活饮用水卫生监督管理办法》",
         "供水单位卫生许可申请书/fs|@LIC|水质检验报告/t|供水设施平面图|从业人员健康证明/c"),
        ("母婴保健技术服务执业许可", "jurisdiction", 20, 10, 40, None, "《中华人民共和国母婴保健法》第三十二条",
         "母婴保健技术服务执业许可申请登记表/fs|医疗机构执业许可证/c|技术人员资格证明/c"),
    ],
    "yjglj": [
        ("危险化学品建设项目安全条件审查", "seal_follow", 45, 10, 120, None,
         f"{HAZCHEM}第十二条；《危险化学品建设项目安全监督管理办法》",
         "危险化学品建设项目安全条件审查申请书/fs|建设项目安全评价报告|@PRJ|建设项目规划相关文件/ct|@LIC"),
        ("危险化学品建设项目安全设施设计审查", "seal_follow", 20, 5, 90, None,
         "《中华人民共和国安全生产法》第三十二条；《危险化学品建设项目安全监督管理办法》",
         "危险化学品建设项目安全设施设计审查申请书/fs|安全设施设计专篇|安全条件审查意见书/c|设计单位资质证明/c"),
        ("危险化学品经营许可证核发", "entrusted", 30, 10, 60, None, f"{HAZCHEM}第三十三条、第三十五条",
         "危险化学品经营许可证申请表/fs|@LIC|经营和储存场所产权或租赁证明/c|安全评价报告"
         "|主要负责人和安全管理人员安全资格证/c|安全生产规章制度和岗位操作规程|事故应急救援预案/t"),
        ("危险化学品安全使用许可证核发", "entrusted", 45, 10, 90, None, f"{HAZCHEM}第二十九条、第三十条",
         "危险化学品安全使用许可证申请书/fs|@LIC|安全评价报告|危险化学品事故应急预案/t"
         "|主要负责人和安全管理人员安全资格证/c|重大危险源备案证明/o"),
        ("烟花爆竹经营（零售）许可", "jurisdiction", 20, 5, 25, None, "《烟花爆竹安全管理条例》第十九条",
         "烟花爆竹经营（零售）许可证申请书/fs|@LIC|零售场所产权或租赁证明/c|安全管理人员培训合格证明/c"),
        ("烟花爆竹经营（批发）许可", "entrusted", 30, 10, 60, None, "《烟花爆竹安全管理条例》第十九条",
         "烟花爆竹经营（批发）许可证申请书/fs|@LIC|仓库安全评价报告|仓库产权或租赁证明/c"
         "|主要负责人和安全管理人员安全资格证/c|安全管理制度"),
        ("生产经营单位生产安全事故应急预案备案", "agency", 0, 0, 22, None,
         "《生产安全事故应急条例》第七条；《生产安全事故应急预案管理办法》",
         "生产安全事故应急预案备案申请表/fs|应急预案评审或论证意见|生产安全事故应急预案|风险评估及应急资源调查报告"),
        ("第二类、第三类非药品类易制毒化学品生产、经营备案", "agency", 0, 0, 22, None,
         "《易制毒化学品管理条例》第十三条；《非药品类易制毒化学品生产、经营许可办法》",
         "非药品类易制毒化学品生产（经营）备案申请表/fs|@LIC|易制毒化学品管理制度"),
        ("危险化学品重大危险源备案", "agency", 0, 0, 22, None,
         f"{HAZCHEM}第二十五条；《危险化学品重大危险源监督管理暂行规定》",
         "危险化学品重大危险源备案申请表/fs|重大危险源辨识、分级记录|重大危险源安全评估报告或安全评价报告"
         "|重大危险源事故应急预案/t"),
        ("金属冶炼建设项目安全设施设计审查", "seal_follow", 20, 5, 75, None,
         "《中华人民共和国安全生产法》第三十二条；《建设项目安全设施“三同时”监督管理办法》",
         "金属冶炼建设项目安全设施设计审查申请书/fs|安全设施设计|@PRJ|安全预评价报告/c"),
        ("生产经营单位主要负责人和安全生产管理人员安全生产知识和管理能力考核", "agency", 20, 5, 30, None,
         "《中华人民共和国安全生产法》第二十七条",
         "安全生产知识和管理能力考核申请表/fs|身份证明/c|学历证明/c|任职文件/o"),
    ],
    "scjgj": [
        ("特种设备使用登记", "agency", 15, 0, 22, None,
         "《中华人民共和国特种设备安全法》第三十三条；《特种设备使用管理规则》",
         "特种设备使用登记表/fs|@LIC|特种设备产品合格证/c|监督检验证明/t"),
        ("工业产品生产许可证核发", "seal_follow", 30, 10, 75, None,
         "《中华人民共和国工业产品生产许可证管理条例》；《中华人民共和国工业产品生产许可证管理条例实施办法》",
         "工业产品生产许可证申请书/fs|@LIC|产品检验合格报告/t|质量管理制度文件|生产场所及设备清单"),
        ("食品生产许可", "entrusted", 10, 5, 30, None,
         "《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》",
         "食品生产许可申请书/fs|@LIC|食品生产设备布局图和食品生产工艺流程图|食品生产主要设备、设施清单"
         "|食品安全专业技术人员、食品安全管理人员信息和食品安全管理制度"),
        ("食品经营许可", "jurisdiction", 10, 3, 22, None,
         "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
         "食品经营许可申请书/fs|@LIC|经营场所平面布局图|食品安全自查、从业人员健康管理等食品安全管理制度"),
        ("企业设立登记", "agency", 3, 0, 22, None, f"{MARKET_ENTITY}第八条、第十九条",
         "公司登记（备案）申请书/fs|公司章程/s|股东主体资格证明/c|法定代表人、董事、监事和高级管理人员任职文件"
         "|住所使用相关文件/t|@AGT"),
        ("企业变更登记", "agency", 3, 0, 22, None, f"{MARKET_ENTITY}第二十四条",
         "公司登记（备案）申请书/fs|变更决议或决定|章程修正案/s|@AGT"),
        ("企业注销登记", "agency", 3, 0, 22, None, f"{MARKET_ENTITY}第三十一条",
         "公司注销登记申请书/fs|清算报告|依法作出解散的决议或决定|@AGT"),
        ("计量标准器具核准", "entrusted", 20, 10, 40, None, "《中华人民共和国计量法》第六条、第七条、第八条",
         "计量标准考核（复查）申请书/fs|计量标准技术报告|计量标准器及配套设备检定或校准证书/c|检定或校准人员资格证明/c"),
        ("特种设备安装改造修理告知", "agency", 0, 0, 22, None, "《中华人民共和国特种设备安全法》第二十三条",
         "特种设备安装改造修理告知书/fs|施工单位许可证书/c"),
        ("药品零售企业经营许可", "jurisdiction", 20, 5, 30, None,
         "《中华人民共和国药品管理法》第五十一条；《药品经营和使用质量监督管理办法》",
         "药品经营许可证申请表/fs|@LIC|经营场所和仓库的地理位置图、平面布局图|执业药师资格证书及注册证/c"
         "|药品质量管理文件及主要设施设备目录"),
        ("第二类医疗器械经营备案", "agency", 0, 0, 22, None, "《医疗器械监督管理条例》第四十一条",
         "第二类医疗器械经营备案表/fs|@LIC|经营场所和库房地理位置图、平面图|质量管理制度目录"),
        ("第三类医疗器械经营许可", "entrusted", 20, 10, 45, None, "《医疗器械监督管理条例》第四十二条",
         "医疗器械经营许可申请表/fs|@LIC|质量负责人身份证明、学历或职称证明/c|经营场所和库房的地理位置图、平面图、房屋产权证明/c"
         "|经营设施、设备目录|质量管理制度/t"),
        ("移动式压力容器、气瓶充装许可", "seal_follow", 30, 10, 60, None, "《中华人民共和国特种设备安全法》第四十九条",
         "特种设备充装许可申请表/fs|@LIC|充装质量保证体系文件|鉴定评审报告/t"),
    ],
    "tjj": [
        ("地方统计调查项目审批", "seal_follow", 20, 5, 30, None,
         "《中华人民共和国统计法》第十二条；《中华人民共和国统计法实施条例》",
         "地方统计调查项目审批申请表/fs|统计调查制度（含调查表式）|项目必要性和可行性论证说明|征求意见情况说明/o"),
        ("规模以上企业纳统入库审核", "agency", 10, 5, 22, None,
         "《中华人民共和国统计法》；《中华人民共和国统计法实施条例》",
         "统计调查单位入库申报表/fs|@LIC|企业财务报表/c"),
    ],
    "zhzfj": [
        ("城市建筑垃圾处置核准", "entrusted", 20, 5, 30, None, f"{SC412}第101项；《城市建筑垃圾管理规定》",
         "建筑垃圾处置核准申请表/fs|建筑垃圾处置方案|与消纳场签订的处置协议/t|运输单位相关证明/c"),
        ("设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批", "entrusted", 20, 5, 25, None,
         "《城市市容和环境卫生管理条例》第十一条、第十七条",
         "户外广告设置申请表/fs|设置效果图|场地使用权证明或协议/ct"),
        ("临时占用城市绿化用地审批", "jurisdiction", 20, 5, 25, None, "《城市绿化条例》",
         "临时占用城市绿化用地申请表/fs|占用绿地位置图|绿地恢复方案"),
        ("砍伐、迁移城市树木审批", "jurisdiction", 20, 5, 25, None, "《城市绿化条例》",
         "城市树木砍伐（迁移）申请表/fs|树木现状照片及位置图|补植方案/t"),
        ("城市生活垃圾经营性清扫、收集、运输服务许可", "entrusted", 20, 10, 40, None,
         f"{SC412}第102项；《城市生活垃圾管理办法》",
         "城市生活垃圾经营性清扫、收集、运输服务许可申请书/fs|@LIC|车辆清单及行驶证/c|作业管理制度"),
        ("关闭、闲置、拆除城市环境卫生设施审批", "jurisdiction", 20, 5, 30, None,
         "《城市市容和环境卫生管理条例》第二十二条",
         "环境卫生设施拆除（关闭、闲置）申请表/fs|设施权属证明/c|迁建或替代方案"),
        ("特殊车辆在城市道路上行驶审批", "jurisdiction", 20, 3, 22, None, "《城市道路管理条例》第二十八条",
         "特殊车辆通行申请表/fs|车辆行驶证/c|行驶路线和时间说明"),
    ],
    "rfb": [
        ("人防工程建设审批（结合民用建筑修建防空地下室）", "seal_follow", 20, 5, 60, None,
         "《中华人民共和国人民防空法》第二十二条；《人民防空工程建设管理规定》",
         "防空地下室建设审批申请表/fs|建设工程规划许可证/ct|防空地下室施工图设计文件|@PRJ"),
        ("防空地下室易地建设审批", "entrusted", 20, 5, 45, CIVIL_DEFENCE_FEE,
         "《中华人民共和国人民防空法》第二十二条；《人民防空工程建设管理规定》",
         "防空地下室易地建设申请表/fs|建设工程规划许可证/ct|总平面图|不宜修建防空地下室的情况说明"),
        ("拆除人民防空工程审批", "seal_follow", 20, 10, 45, None, "《中华人民共和国人民防空法》第二十八条",
         "拆除人防工程申请表/fs|人防工程权属证明/c|补建方案或补偿说明"),
        ("人防工程竣工验收备案", "agency", 0, 0, 22, None, "《人民防空工程建设管理规定》",
         "人防工程竣工验收备案表/fs|人防工程竣工验收报告|施工单位工程竣工报告/c|质量监督报告/t"),
        ("人防工程施工图设计文件审查备案", "agency", 0, 0, 22, None, "《人民防空工程建设管理规定》",
         "人防工程施工图审查备案表/fs|施工图审查合格书/c"),
    ],
    "xfzd": [
        ("公众聚集场所投入使用、营业前消防安全检查", "entrusted", 10, 3, 25, None, "《中华人民共和国消防法》第十五条",
         "公众聚集场所投入使用、营业前消防安全检查申请表/fs|@LIC|消防安全制度、灭火和应急疏散预案"
         "|场所平面布置图、场所消防设施平面图|建设工程消防验收或备案证明/ct"),
        ("大型群众性活动举办前消防安全检查", "jurisdiction", 7, 3, 22, None, "《中华人民共和国消防法》第二十条",
         "大型群众性活动消防安全检查申请表/fs|活动方案及消防安全工作方案|活动场所平面图|灭火和应急疏散预案"),
        ("消防安全重点单位信息备案", "agency", 0, 0, 22, None,
         "《中华人民共和国消防法》第十七条；《机关、团体、企业、事业单位消防安全管理规定》",
         "消防安全重点单位备案表/fs|@LIC|消防安全管理人任命文件/c"),
        ("消防技术服务机构从业信息备案", "agency", 0, 0, 22, None, "《社会消防技术服务管理规定》",
         "消防技术服务机构从业信息备案表/fs|@LIC|注册消防工程师注册证/c"),
    ],
    "swuj": [
        ("设立税务登记", "agency", 0, 0, 22, None, "《中华人民共和国税收征收管理法》第十五条",
         "税务登记信息补充表/fs|@LIC|经营场所证明/c"),
        ("发票领用", "agency", 0, 0, 22, None, "《中华人民共和国发票管理办法》第十五条",
         "发票票种核定（领用）申请表/fs|经办人身份证明/c"),
        ("增值税专用发票（增值税税控系统）最高开票限额审批", "entrusted", 20, 2, 22, None, f"{SC412}第236项",
         "税务行政许可申请表/fs|增值税专用发票最高开票限额申请单/fs|@AGT"),
        ("增值税一般纳税人登记", "agency", 0, 0, 22, None,
         "《中华人民共和国增值税暂行条例》第十三条；《增值税一般纳税人登记管理办法》",
         "增值税一般纳税人登记表/fs|经办人身份证明/c"),
        ("对纳税人延期缴纳税款的核准", "entrusted", 20, 10, 25, None,
         "《中华人民共和国税收征收管理法》第三十一条；《中华人民共和国税收征收管理法实施细则》第四十二条",
         "税务行政许可申请表/fs|延期缴纳税款申请审批表/fs|当期货币资金余额情况及所有银行存款账户的对账单/c"
         "|资产负债表/c|应付职工工资和社会保险费等支出预算"),
        ("跨区域涉税事项报告", "agency", 0, 0, 22, None,
         "《国家税务总局关于创新跨区域涉税事项报验管理制度的通知》（税总发〔2017〕103号）",
         "跨区域涉税事项报告表/fs|外出经营合同/oc"),
    ],
    "qxj": [
        ("雷电防护装置设计审核", "seal_follow", 20, 5, 30, None, f"{LIGHTNING}；《气象灾害防御条例》第二十三条",
         "雷电防护装置设计审核申请书/fs|雷电防护装置设计说明书和设计图纸|雷电灾害风险评估报告/t"),
        ("雷电防护装置竣工验收", "seal_follow", 10, 5, 25, None, f"{LIGHTNING}；《气象灾害防御条例》第二十三条",
         "雷电防护装置竣工验收申请书/fs|雷电防护装置竣工图纸|防雷产品出厂合格证及安装记录/c|雷电防护装置检测报告/t"),
        ("升放无人驾驶自由气球或者系留气球活动审批", "jurisdiction", 5, 3, 22, None,
         "《通用航空飞行管制条例》第三十二条；《施放气球管理办法》",
         "升放气球活动申请表/fs|施放气球单位资质证明/c|活动方案和安全保障措施"),
        ("新建、扩建、改建建设工程避免危害气象探测环境审批", "seal_follow", 20, 10, 45, None,
         "《中华人民共和国气象法》第二十一条；《气象设施和气象探测环境保护条例》",
         "避免危害气象探测环境审批申请表/fs|建设项目规划许可文件/c|建设工程对气象探测环境影响评估报告"),
    ],
}
# fmt: on


def _material(spec: str) -> dict:
    spec = SHARED.get(spec[1:], spec) if spec.startswith("@") else spec
    name, _, flags = spec.partition("/")
    unknown = set(flags) - FLAG_LETTERS
    if unknown:
        raise ValueError(f"unknown material flags {sorted(unknown)} in {spec!r}")
    return {
        "name": name,
        "required": "o" not in flags,
        "tolerable": "t" in flags,
        "original": "c" not in flags,
        "form": "f" in flags,
        "sample": "s" in flags,
    }


def _expand(rows: dict) -> list[dict]:
    items = []
    for department, department_rows in rows.items():
        for number, (name, mode, statutory, promised, pre_reform, fees, basis, materials) in enumerate(
            department_rows, start=1
        ):
            items.append(
                {
                    "code": f"{REGION}-{department.upper()}-{number:03d}",
                    "department": department,
                    "name": name,
                    "mode": mode,
                    "legal_basis": basis,
                    "item_type": "immediate" if promised == 0 else "commitment",
                    "statutory_limit": statutory,
                    "promised_limit": promised,
                    "fees": fees or "不收费",
                    "pre_reform_days": pre_reform,
                    # Long commitments (10+ promised days on what used to take months) warn two days ahead.
                    "yellow_threshold": 2 if promised >= 10 and pre_reform >= 75 else 1,
                    "materials": [_material(spec) for spec in materials.split("|")],
                }
            )
    return items


ITEMS: list[dict] = _expand(ROWS)

KEYS = {
    "code", "department", "name", "mode", "legal_basis", "item_type", "statutory_limit", "promised_limit", "fees",
    "pre_reform_days", "yellow_threshold", "materials",
}  # fmt: skip
MATERIAL_KEYS = {"name", "required", "tolerable", "original", "form", "sample"}


def _check_item(item: dict, departments: set[str]) -> list[str]:
    code = item.get("code", "?")
    if set(item) != KEYS:
        return [f"{code}: keys {sorted(set(item) ^ KEYS)} missing or unexpected"]
    problems = []
    department = item["department"]
    if department not in departments:
        problems.append(f"{code}: unknown department {department!r}")
    if not re.fullmatch(rf"{REGION}-{re.escape(department.upper())}-\d{{3}}", code):
        problems.append(f"{code}: code does not match {REGION}-<DEPT>-<3 digits>")
    if not item["name"] or len(item["name"]) > MAX_NAME_LENGTH:
        problems.append(f"{code}: name empty or longer than {MAX_NAME_LENGTH}")
    if item["mode"] not in MODES:
        problems.append(f"{code}: unknown mode {item['mode']!r}")
    if "《" not in item["legal_basis"]:
        problems.append(f"{code}: legal basis cites no law")
    if not item["fees"]:
        problems.append(f"{code}: fees empty")
    statutory, promised = item["statutory_limit"], item["promised_limit"]
    if item["item_type"] not in ITEM_TYPES:
        problems.append(f"{code}: unknown item type {item['item_type']!r}")
    if (item["item_type"] == "immediate") != (promised == 0):
        problems.append(f"{code}: immediate items and only they promise 0 days")
    if item["item_type"] == "immediate" and not 0 <= statutory <= 20:
        problems.append(f"{code}: immediate item with statutory limit {statutory}")
    if item["item_type"] == "commitment" and not 1 <= promised <= 20:
        problems.append(f"{code}: commitment item promises {promised} days")
    if promised > statutory:
        problems.append(f"{code}: promised {promised} > statutory {statutory}")
    if not PRE_REFORM_RANGE[0] <= item["pre_reform_days"] <= PRE_REFORM_RANGE[1]:
        problems.append(f"{code}: pre-reform duration {item['pre_reform_days']} outside {PRE_REFORM_RANGE}")
    if item["yellow_threshold"] not in (1, 2):
        problems.append(f"{code}: yellow threshold {item['yellow_threshold']}")
    materials = item["materials"]
    if not MATERIALS_RANGE[0] <= len(materials) <= MATERIALS_RANGE[1]:
        problems.append(f"{code}: {len(materials)} materials")
    names = [material.get("name") for material in materials]
    if len(set(names)) != len(names):
        problems.append(f"{code}: duplicate material names")
    for index, material in enumerate(materials):
        if set(material) != MATERIAL_KEYS or not all(isinstance(material[k], bool) for k in MATERIAL_KEYS - {"name"}):
            problems.append(f"{code}: malformed material {material!r}")
            continue
        if material["tolerable"] and not material["required"]:
            problems.append(f"{code}: optional material {material['name']} marked tolerable")
        if index == 0 and (not material["form"] or not material["required"] or material["tolerable"]):
            problems.append(f"{code}: first material {material['name']} must be the required, non-tolerable form")
    return problems


def check(items=ITEMS) -> list[str]:
    """Every way the catalogue breaks the rules of the article and the brief; empty when it holds them all."""
    departments = {code for code, _name, _short in DEPARTMENTS}
    problems = []
    for item in items:
        problems.extend(_check_item(item, departments))
    if len(items) != TOTAL_ITEMS:
        problems.append(f"{len(items)} items, not {TOTAL_ITEMS}")
    items = [item for item in items if set(item) == KEYS]  # the rest are reported above
    codes = Counter(item["code"] for item in items)
    problems += [f"{code}: code used {n} times" for code, n in codes.items() if n > 1]
    names = Counter((item["department"], item["name"]) for item in items)
    problems += [f"{dept}: {name} listed {n} times" for (dept, name), n in names.items() if n > 1]
    per_department = Counter(item["department"] for item in items)
    problems += [
        f"{dept}: {per_department[dept]} items, fewer than {MIN_PER_DEPARTMENT}"
        for dept in sorted(departments)
        if per_department[dept] < MIN_PER_DEPARTMENT
    ]
    per_mode = Counter(item["mode"] for item in items)
    problems += [
        f"mode {mode}: {per_mode[mode]} items, fewer than {MIN_PER_MODE}"
        for mode in MODES
        if per_mode[mode] < MIN_PER_MODE
    ]
    tolerable = sum(any(m.get("tolerable") for m in item["materials"]) for item in items)
    if tolerable < MIN_TOLERABLE_ITEMS:
        problems.append(f"{tolerable} items allow 容缺受理, fewer than {MIN_TOLERABLE_ITEMS}")
    five_day = sum(item["item_type"] == "commitment" and item["promised_limit"] == 5 for item in items)
    if five_day < MIN_FIVE_DAY_ITEMS:
        problems.append(f"{five_day} commitment items promise 5 days, fewer than {MIN_FIVE_DAY_ITEMS}")
    return problems
