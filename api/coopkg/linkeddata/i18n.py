"""The pages' own words in Chinese and English (data labels come from the graph, not from here)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("en", "zh")

_WORDS: dict[str, tuple[str, str]] = {  # key -> (en, zh)
    "site": ("coopkg — cooperation commitments", "coopkg — 国际合作承诺知识图谱"),
    "home": ("Home", "首页"),
    "query": ("Query", "查询"),
    "downloads": ("Downloads", "下载"),
    "ontology": ("Ontology", "本体"),
    "mechanisms": ("Mechanisms", "机制"),
    "mechanism": ("Mechanism", "机制"),
    "switch": ("中文", "English"),
    "switch_label": ("Read this page in Chinese", "Read this page in English"),
    "programme": ("Programme", "工作方案"),
    "parties": ("Parties", "双方"),
    "period": ("Period", "期限"),
    "predecessor": ("Predecessor", "前身"),
    "basis": ("Basis", "依据"),
    "counts": ("In numbers", "数字概览"),
    "commitments": ("Commitments", "承诺"),
    "commitment": ("Commitment", "承诺"),
    "sections": ("Sections", "章节"),
    "section": ("Section", "章节"),
    "areas": ("Cooperation areas", "合作领域"),
    "area": ("Cooperation area", "合作领域"),
    "priority": ("priority area", "优先领域"),
    "frameworks": ("Frameworks", "框架"),
    "framework": ("Framework", "框架"),
    "agencies": ("Agencies", "机构"),
    "agency": ("Agency", "机构"),
    "goals": ("SDG goals", "可持续发展目标"),
    "goal": ("SDG goal", "可持续发展目标"),
    "alignments": ("Alignments", "目标关联"),
    "aligned": ("aligned commitments", "关联承诺"),
    "heatmap": ("Cooperation areas × SDG goals", "合作领域 × 可持续发展目标"),
    "heatmap_note": (
        "How many commitments of each area are aligned to a goal or one of its targets "
        "(our curated alignments).",
        "每个合作领域中与某一目标或其具体目标相关联的承诺数量（本项目整理的关联）。",
    ),
    "diagram": ("Sections, areas and frameworks", "章节、合作领域与框架"),
    "source_zh": ("Source text (Chinese)", "原文（中文）"),
    "rendering_en": ("English rendering", "英文译文"),
    "unofficial": (
        "Unofficial: our translation, not an official text of either party.",
        "非官方译文：由本项目翻译，并非任何一方的正式文本。",
    ),
    "basis_of": ("Basis", "依据"),
    "rationale": ("Rationale", "理由"),
    "source_passage": ("Source passage", "原文段落"),
    "offsets": ("Offsets (code points, end exclusive)", "字符偏移（码点，不含终点）"),
    "view_source": ("View the source text", "查看原文"),
    "formats": ("This resource as", "本资源的其他格式"),
    "iri": ("IRI", "IRI"),
    "no_commitments": ("No commitments.", "没有承诺。"),
    "frequency": ("Frequency", "频率"),
    "stated_as": ("Stated as", "表述形式"),
    "chapeau": ("Lead-in", "引导段"),
    "properties": ("Properties", "属性"),
    "run": ("Run", "运行"),
    "examples": ("Named queries (examples)", "命名查询（示例）"),
    "results": ("Results", "结果"),
    "rows": ("rows", "行"),
    "download_as": ("Download as", "下载为"),
    "query_help": (
        "SPARQL 1.1 SELECT, ASK or CONSTRUCT over all graphs, with the checks and limits of /sparql; "
        "the downloads come from /sparql itself.",
        "对所有图执行 SPARQL 1.1 SELECT、ASK 或 CONSTRUCT 查询，检查与限制同 /sparql；"
        "下载链接直接来自 /sparql。",
    ),
    "parameters": ("Parameters", "参数"),
    "whole_graph": ("The whole graph", "完整图谱"),
    "named_graphs_kept": ("named graphs kept", "保留命名图"),
    "commitments_csv": ("Commitments as CSV", "承诺（CSV）"),
    "void": ("Dataset description (VoID/DCAT)", "数据集描述（VoID/DCAT）"),
    "context": ("JSON-LD context", "JSON-LD 上下文"),
    "coopkg": ("REST API (OpenAPI)", "REST API（OpenAPI）"),
    "classes": ("Classes", "类"),
    "properties_onto": ("Properties", "属性"),
    "concepts": ("Concepts", "概念"),
    "reused": ("Reused vocabularies", "复用的词汇表"),
    "domain": ("Domain", "定义域"),
    "range": ("Range", "值域"),
    "subclass_of": ("Subclass of", "父类"),
    "subproperty_of": ("Subproperty of", "父属性"),
    "not_found": ("Not found", "未找到"),
    "targets": ("Targets", "具体目标"),
    "source_text": ("Source text", "原文"),
    "highlighted": ("The highlighted span is the quoted source of", "高亮部分为以下资源的引用原文："),
    "search": ("Search", "搜索"),
    "about": (
        "A knowledge graph of what the parties commit to, built from the programme's Chinese text: every "
        "commitment is the source's own words, traceable to its exact span; English renderings and SDG "
        "alignments are ours and marked as such.",
        "根据工作方案中文原文构建的合作承诺知识图谱：每条承诺均为原文表述，可追溯到确切位置；英文译文和"
        "可持续发展目标关联由本项目整理，并作相应标注。",
    ),
}


def words(lang: Lang) -> dict[str, str]:
    """All page words in `lang` (templates read `t.key`)."""
    index = 0 if lang == "en" else 1
    return {key: pair[index] for key, pair in _WORDS.items()}


def pick_lang(query_value: str | None, cookie_value: str | None) -> Lang:
    """`?lang=` first (a link or the switch), then the remembered choice, then English."""
    for value in (query_value, cookie_value):
        if value == "zh":
            return "zh"
        if value == "en":
            return "en"
    return "en"
