"""The demo zone's fixed parts: the article's four brands and three functional areas, the chains, the 24
municipal departments. Enterprise names elsewhere are invented; these are the zone's public structure."""

BRANDS = [
    # code, name, short name, level, approved on
    ("jingkai", "经济技术开发区", "经开区", "国家级", "2011-04-01"),
    ("lvchan", "绿色产业集聚区", "绿色集聚区", "省级", "2010-06-01"),
    ("gaoxin", "高新技术产业开发区", "高新区", "国家级", "2013-12-01"),
    ("wuliu", "综合物流园区", "物流园区", "市级", "2009-10-01"),
]

BLOCKS = [
    ("jingkai-east", "经开东片", "jingkai"),
    ("jingkai-west", "经开西片", "jingkai"),
    ("lvchan-north", "集聚区北片", "lvchan"),
    ("lvchan-south", "集聚区南片", "lvchan"),
    ("gaoxin-core", "高新核心区", "gaoxin"),
    ("gaoxin-science", "科技城片区", "gaoxin"),
    ("wuliu-hub", "物流枢纽片", "wuliu"),
]

FUNCTIONAL_AREAS = [
    ("fluorosilicon", "氟硅化工功能区", "lvchan"),
    ("fine-chemicals", "精细化工功能区", "lvchan"),
    ("biochemical", "生物化工功能区", "gaoxin"),
]

# code, name, English name, weight in the demo, functional area, brands, industry codes, name words
CHAINS = [
    ("fluorine", "氟化工", "Fluorine chemicals", 24, "fluorosilicon", ["lvchan"], ["2614", "2613", "2651", "2611"],
     ["氟材料", "氟化学", "含氟新材料", "氟精细化工", "氟塑料"]),
    ("organosilicon", "有机硅", "Organic silicon", 20, "fluorosilicon", ["lvchan"], ["2614", "2651", "2652", "2659"],
     ["有机硅", "硅橡胶", "硅材料", "硅油化学", "硅烷科技"]),
    ("inorganic-silicon", "无机硅", "Inorganic silicon", 12, "fluorosilicon", ["lvchan"], ["2613", "2619", "309"],
     ["硅业", "白炭黑", "硅微粉", "硅酸盐"]),
    ("fine-chemicals", "精细化工", "Fine chemicals", 24, "fine-chemicals", ["lvchan"],
     ["2661", "2662", "2669", "2641", "2643", "2684"], ["精细化工", "化学助剂", "新材料科技", "涂料", "颜料化学"]),
    ("biomedicine", "生物医药", "Biomedicine", 20, "biochemical", ["gaoxin"], ["271", "272", "276", "277"],
     ["药业", "生物医药", "生物科技", "医药化工", "制药"]),
    ("electronics", "电子信息", "Electronics", 20, None, ["gaoxin", "jingkai"], ["397", "398", "392", "391"],
     ["电子", "微电子", "电子材料", "光电科技", "智能科技"]),
    ("equipment", "装备制造", "Equipment manufacturing", 26, None, ["jingkai", "gaoxin"],
     ["344", "342", "381", "382", "346"], ["机械", "装备", "电机", "阀门", "智能装备", "动力设备"]),
    ("logistics", "现代物流", "Modern logistics", 8, None, ["wuliu"], ["59", "58", "54"],
     ["物流", "供应链", "仓储", "国际货运"]),
]

DEPARTMENTS = [
    ("fgw", "市发展和改革委员会", "发改委"),
    ("jxj", "市经济和信息化局", "经信局"),
    ("kjj", "市科学技术局", "科技局"),
    ("gaj", "市公安局", "公安局"),
    ("mzj", "市民政局", "民政局"),
    ("czj", "市财政局", "财政局"),
    ("rsj", "市人力资源和社会保障局", "人社局"),
    ("zrzyj", "市自然资源和规划局", "自然资源局"),
    ("sthjj", "市生态环境局", "生态环境局"),
    ("zjj", "市住房和城乡建设局", "住建局"),
    ("jtysj", "市交通运输局", "交通运输局"),
    ("slj", "市水利局", "水利局"),
    ("nyncj", "市农业农村局", "农业农村局"),
    ("swj", "市商务局", "商务局"),
    ("wgltj", "市文化广电旅游局", "文广旅游局"),
    ("wjw", "市卫生健康委员会", "卫健委"),
    ("yjglj", "市应急管理局", "应急管理局"),
    ("scjgj", "市市场监督管理局", "市场监管局"),
    ("tjj", "市统计局", "统计局"),
    ("zhzfj", "市综合行政执法局", "综合执法局"),
    ("rfb", "市人民防空办公室", "人防办"),
    ("xfzd", "市消防救援支队", "消防支队"),
    ("swuj", "国家税务总局市税务局", "税务局"),
    ("qxj", "市气象局", "气象局"),
]

# Invented trade names. Never the real companies the article names (see FORBIDDEN_NAME_PARTS).
TRADE_NAMES = [
    "瑞丰", "恒晟", "华岳", "博远", "鼎泰", "联创", "嘉禾", "宏图", "永正", "天衡", "汇川", "泓源", "晨曦", "明德",
    "凯越", "盛邦", "聚能", "新峰", "澜沧", "云帆", "金璟", "百川", "正泰和", "中衡", "诚毅", "远景蓝", "锦程",
    "润达", "安澜", "星海", "卓立", "弘毅", "同济源", "海纳", "晟通", "华瓯", "峻岭", "清源", "钱江源", "九华",
    "东升", "北辰", "南屏", "西岭", "立信", "启明", "尚德", "致远", "和裕", "万鑫", "通衢", "禾信", "常青",
    "翔宇", "润泽", "安泰", "丰源", "众诚", "嘉兴隆", "宝鼎", "银河湾", "青峰", "绿洲", "红枫", "白鹭",
]
FORBIDDEN_NAME_PARTS = ["巨化", "元立", "开山", "卧龙", "华友", "中天", "中宁", "顺络", "库米赛诺", "驰星"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红斌宇浩然思远晓东海峰雪梅文博嘉怡子轩"
