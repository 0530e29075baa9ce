"""Word lists the synthetic-programme generator draws from: partner countries, cooperation topics with the
real SDG targets they plausibly serve, frameworks, agencies and sentence templates (Chinese with a parallel
English rendering, so every generated commitment carries a matching coop:Translation).

The sentences imitate the register of real joint work programmes; they are benchmark filler, and the
generator marks every programme it builds as synthetic (slug `synth-…`, VoID description, rdfs:comment).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Partner:
    code: str  # ISO-like two letters, used in slugs
    slug: str  # id:party/{slug}
    zh: str  # full name
    zh_short: str  # one-character abbreviation used in titles (中丹, 中德, ...)
    zh_common: str  # the name in running text (丹麦)
    en: str
    # Only the identifiers verified by the project (data/curated/reference.ttl); never guessed. The other
    # synthetic parties therefore draw the shapes' "link to Wikidata" warning, as a real one would.
    wikidata: str | None = None


@dataclass(frozen=True)
class Topic:
    zh: str
    en: str
    heading_zh: str  # the part of a section heading after the colon
    heading_en: str
    subjects: tuple[tuple[str, str], ...]  # (zh, en) objects of cooperation
    targets: tuple[str, ...]  # real SDG target notations, checked against the KOS at start-up


CHINA = Partner("cn", "china", "中华人民共和国", "中", "中国", "People's Republic of China", "Q148")

PARTNERS: tuple[Partner, ...] = (
    Partner("dk", "denmark", "丹麦王国", "丹", "丹麦", "Kingdom of Denmark", "Q35"),
    Partner("de", "germany", "德意志联邦共和国", "德", "德国", "Federal Republic of Germany"),
    Partner("fr", "france", "法兰西共和国", "法", "法国", "French Republic"),
    Partner("no", "norway", "挪威王国", "挪", "挪威", "Kingdom of Norway"),
    Partner("se", "sweden", "瑞典王国", "瑞", "瑞典", "Kingdom of Sweden"),
    Partner("fi", "finland", "芬兰共和国", "芬", "芬兰", "Republic of Finland"),
    Partner("nl", "netherlands", "荷兰王国", "荷", "荷兰", "Kingdom of the Netherlands"),
    Partner("nz", "new-zealand", "新西兰", "新", "新西兰", "New Zealand"),
    Partner("br", "brazil", "巴西联邦共和国", "巴", "巴西", "Federative Republic of Brazil"),
    Partner("ke", "kenya", "肯尼亚共和国", "肯", "肯尼亚", "Republic of Kenya"),
    Partner("eg", "egypt", "阿拉伯埃及共和国", "埃", "埃及", "Arab Republic of Egypt"),
    Partner("id", "indonesia", "印度尼西亚共和国", "印尼", "印度尼西亚", "Republic of Indonesia"),
    Partner("cl", "chile", "智利共和国", "智", "智利", "Republic of Chile"),
    Partner("pt", "portugal", "葡萄牙共和国", "葡", "葡萄牙", "Portuguese Republic"),
)

TOPICS: tuple[Topic, ...] = (
    Topic(
        "气候和能源",
        "climate and energy",
        "为气候共同努力",
        "working together for the climate",
        (
            ("可再生能源", "renewable energy"),
            ("能效", "energy efficiency"),
            ("海上风电", "offshore wind"),
            ("碳市场", "carbon markets"),
            ("区域供热", "district heating"),
        ),
        ("7.2", "7.3", "7.a", "13.2", "13.3"),
    ),
    Topic(
        "环境和水资源",
        "environment and water",
        "确保水资源质量和生态系统功能",
        "ensuring water quality and ecosystem functions",
        (
            ("水资源管理", "water resource management"),
            ("污水处理", "wastewater treatment"),
            ("土壤污染防治", "soil pollution control"),
            ("循环经济", "the circular economy"),
        ),
        ("6.3", "6.4", "6.5", "12.5", "15.1"),
    ),
    Topic(
        "绿色航运",
        "green shipping",
        "绿色航运和绿色海事技术合作",
        "cooperation on green shipping and maritime technology",
        (
            ("船舶减排", "emission reduction in shipping"),
            ("替代燃料", "alternative fuels"),
            ("港口岸电", "shore power in ports"),
        ),
        ("14.1", "13.2", "9.4", "7.2"),
    ),
    Topic(
        "粮食和农业",
        "food and agriculture",
        "提升质量和可持续性",
        "improving quality and sustainability",
        (
            ("食品安全", "food safety"),
            ("动物福利", "animal welfare"),
            ("可持续农业", "sustainable agriculture"),
            ("减少食物浪费", "reducing food waste"),
        ),
        ("2.1", "2.4", "2.5", "12.3"),
    ),
    Topic(
        "公共卫生",
        "public health",
        "人人享有",
        "health for all",
        (
            ("全民健康覆盖", "universal health coverage"),
            ("非传染性疾病", "non-communicable diseases"),
            ("抗微生物药物耐药性", "antimicrobial resistance"),
            ("医疗器械", "medical devices"),
        ),
        ("3.4", "3.8", "3.b", "3.d"),
    ),
    Topic(
        "经济关系",
        "economic relations",
        "加强经济关系",
        "strengthening economic relations",
        (
            ("产品认证", "product certification"),
            ("市场准入", "market access"),
            ("营商环境", "the business environment"),
        ),
        ("8.2", "17.10", "17.11", "17.17"),
    ),
    Topic(
        "科学和技术",
        "science and technology",
        "助力绿色转型",
        "supporting the green transition",
        (
            ("联合研究", "joint research"),
            ("科研人员交流", "researcher exchanges"),
            ("创新合作", "innovation partnerships"),
        ),
        ("9.5", "17.6", "4.3", "9.b"),
    ),
    Topic(
        "城市可持续发展",
        "sustainable cities",
        "建设宜居城市",
        "building liveable cities",
        (("城市规划", "urban planning"), ("绿色建筑", "green buildings"), ("公共交通", "public transport")),
        ("11.2", "11.3", "11.6", "11.b"),
    ),
    Topic(
        "教育",
        "education",
        "促进人文交流",
        "promoting people-to-people exchanges",
        (
            ("职业教育", "vocational education"),
            ("学生交流", "student exchanges"),
            ("语言教学", "language teaching"),
        ),
        ("4.3", "4.4", "4.7", "4.b"),
    ),
    Topic(
        "海洋",
        "oceans",
        "保护海洋生态",
        "protecting marine ecosystems",
        (
            ("海洋垃圾", "marine litter"),
            ("渔业管理", "fisheries management"),
            ("海洋观测", "ocean observation"),
        ),
        ("14.1", "14.2", "14.4", "14.a"),
    ),
    Topic(
        "生物多样性",
        "biodiversity",
        "守护自然",
        "safeguarding nature",
        (
            ("自然保护地", "protected areas"),
            ("湿地保护", "wetland conservation"),
            ("物种保护", "species protection"),
        ),
        ("15.1", "15.5", "15.9", "15.a"),
    ),
    Topic(
        "旅游",
        "tourism",
        "可持续发展",
        "sustainable development",
        (("可持续旅游", "sustainable tourism"), ("文化遗产", "cultural heritage")),
        ("8.9", "12.b", "11.4"),
    ),
)

# (slug, zh, en): frameworks a commitment may cite. The Paris Agreement gets article IRIs too.
FRAMEWORKS: tuple[tuple[str, str, str], ...] = (
    ("2030-agenda", "联合国2030年可持续发展议程", "2030 Agenda for Sustainable Development"),
    ("unfccc", "联合国气候变化框架公约", "United Nations Framework Convention on Climate Change"),
    ("paris-agreement", "巴黎协定", "Paris Agreement"),
    ("one-health", "同一健康", "One Health"),
    ("cbd", "生物多样性公约", "Convention on Biological Diversity"),
)
PARIS_ARTICLES: tuple[int, ...] = (2, 4, 6, 7, 10)

# (slug, zh, en): organisations a commitment may name.
AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("imo", "国际海事组织", "International Maritime Organization"),
    (
        "cciced",
        "中国环境与发展国际合作委员会",
        "China Council for International Cooperation on Environment and Development",
    ),
    ("who", "世界卫生组织", "World Health Organization"),
    ("fao", "联合国粮食及农业组织", "Food and Agriculture Organization of the United Nations"),
    ("irena", "国际可再生能源署", "International Renewable Energy Agency"),
    ("unep", "联合国环境规划署", "United Nations Environment Programme"),
)

ACTOR_TYPES: tuple[tuple[str, str, str], ...] = (
    ("government", "政府机构", "government agencies"),
    ("business", "商业代表", "business representatives"),
    ("stakeholder-organisation", "利益相关组织", "stakeholder organisations"),
    ("academia", "学术界", "academia"),
)

# Prose commitment templates: (zh, en, mechanism frequency or None). {p} is the parties' phrase,
# {s} a subject of the topic, {t} the topic.
PROSE: tuple[tuple[str, str, str | None], ...] = (
    (
        "{p}将在{t}领域加强交流与合作。",
        "{P} will strengthen exchanges and cooperation in the field of {t}.",
        None,
    ),
    (
        "双方应就{s}开展政策对话，分享最佳实践。",
        "The two sides should hold a policy dialogue on {s} and share best practice.",
        None,
    ),
    (
        "{p}同意推动{s}方面的联合研究和示范项目。",
        "{P} agree to promote joint research and demonstration projects on {s}.",
        None,
    ),
    (
        "双方将支持企业和研究机构在{s}领域开展务实合作。",
        "The two sides will support practical cooperation between businesses and research institutions "
        "on {s}.",
        None,
    ),
    (
        "双方将定期举行{t}联合工作组会议。",
        "The two sides will regularly hold meetings of the joint working group on {t}.",
        "Regular",
    ),
    (
        "双方每年举行{t}部长级对话。",
        "The two sides will hold a ministerial dialogue on {t} every year.",
        "Annual",
    ),
)

# Enumerated-item templates: (zh, en). The item notation （一）… is prefixed by the generator.
ITEMS: tuple[tuple[str, str], ...] = (
    ("加强{s}领域的经验交流。", "Strengthen the exchange of experience on {s}."),
    ("推动{s}相关标准和政策的对话。", "Promote dialogue on standards and policies for {s}."),
    ("支持在{s}方面的能力建设和人员培训。", "Support capacity building and training on {s}."),
    ("探讨在{s}领域开展第三方市场合作。", "Explore third-market cooperation on {s}."),
)

# Sentences of fact (not commitments): the generator puts them around commitments, as real texts do.
FACTS: tuple[str, ...] = (
    "{p}在{t}领域合作传统悠久。",
    "近年来，两国在{s}方面的交流日益密切。",
    "{t}是双边关系的重要组成部分。",
)

CN_NUMERALS = "一二三四五六七八九十"
