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
    "source_en": ("Source text (English)", "原文（英文）"),
    "source_other": ("Source text", "原文"),
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
    "programmes": ("Programmes", "工作方案"),
    "programmes_lead": (
        "The cooperation programmes the graph describes, by the year they begin: each links to its parties, "
        "its predecessor and successors, and can be compared side by side with another.",
        "图谱所描述的合作工作方案，按起始年份排列：每个方案都链接到其缔约方、前一方案和后续方案，"
        "并可与另一方案并排比较。",
    ),
    "successors": ("Successors", "后续方案"),
    "party": ("Party", "缔约方"),
    "party_lead": (
        "The programmes this party agreed, and every commitment they state.",
        "该缔约方参与的工作方案及其中的全部承诺。",
    ),
    "named_only": ("Also agreed (named, not yet described)", "其他方案（仅提及，尚未描述）"),
    "compare": ("Compare two programmes", "比较两个工作方案"),
    "compare_with_predecessor": ("Compare with its predecessor", "与前一方案比较"),
    "compare_left": ("Earlier (left)", "前一方案（左）"),
    "compare_right": ("Later (right)", "后续方案（右）"),
    "compare_button": ("Compare", "比较"),
    "shared_parties": ("Shared parties", "共同缔约方"),
    "shared_mechanisms": ("Standing mechanisms both hold", "双方共同的常设机制"),
    "matched": ("Matched commitments", "相似承诺"),
    "matched_note": (
        "Pairs of commitments whose texts are similar, best first. The score (0 to 1) is ours, computed by "
        "coopkg (character bigrams of the Chinese text, or words of the English rendering; pairs from "
        "{threshold}); it says the texts are alike, not that the parties said one continues the other.",
        "文本相似的承诺对，按相似度从高到低排列。相似度（0 至 1）由本项目计算（中文原文的字符二元组，"
        "或英文译文的词语；仅列出 {threshold} 及以上的承诺对），仅表示文本相近，并非双方声明后者延续前者。",
    ),
    "score": ("Score", "相似度"),
    "same_mechanism": ("same standing mechanism", "同一常设机制"),
    "no_matches": ("No pair of commitments is similar enough.", "没有足够相似的承诺对。"),
    "unmatched": ("without a match", "无相似承诺"),
    "standing_mechanism": ("Standing mechanism", "常设机制"),
    "standing_lead": (
        "A body or exchange that outlives one programme: the programmes that hold it, and the commitments "
        "that do (which commitment holds it is our curated judgement).",
        "跨越多个工作方案的机构或交流机制：列出设有该机制的工作方案及相应承诺（承诺与机制的对应由本项目整理）。",
    ),
    "validate": ("Validate RDF", "验证 RDF 数据"),
    "validate_help": (
        "Check a programme's RDF against the coopkg SHACL shapes, together with the ontology and the SDG "
        "taxonomy. Upload a file or paste Turtle; nothing you send is kept.",
        "依据 coopkg 的 SHACL 形状（结合本体与可持续发展目标分类）检查工作方案的 RDF 数据。上传文件或粘贴 "
        "Turtle；提交的内容不会被保存。",
    ),
    "validate_file": ("RDF file", "RDF 文件"),
    "validate_file_hint": (
        "Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML; at most",
        "支持 Turtle、TriG、N-Triples、N-Quads、JSON-LD 或 RDF/XML；最大",
    ),
    "validate_paste": (
        "… or paste RDF (Turtle unless you choose another format)",
        "……或粘贴 RDF（默认 Turtle）",
    ),
    "validate_format": ("Format", "格式"),
    "validate_auto": ("From the file's extension or type", "按文件扩展名或类型判断"),
    "validate_run": ("Validate", "验证"),
    "validate_failed": ("Could not validate", "无法验证"),
    "validate_report": ("Validation report", "验证报告"),
    "validate_conforms": ("Conforms: no violations, warnings or notes.", "符合：没有违规、警告或提示。"),
    "validate_fails": ("Does not conform: see the results below.", "不符合：见下方结果。"),
    "severity_violation": ("Violations", "违规"),
    "severity_warning": ("Warnings", "警告"),
    "severity_info": ("Notes", "提示"),
    "focus_node": ("Focus node", "焦点节点"),
    "result_path": ("Path", "路径"),
    "result_value": ("Value", "值"),
    "result_message": ("Message", "说明"),
    "search_words": ("Words to find (Chinese or English)", "搜索词（中文或英文）"),
    "search_filters": ("Narrow down", "筛选"),
    "search_kind": ("Kind", "类型"),
    "search_any_kind": ("any", "全部"),
    "search_sdg_help": ("a goal (6) or a target (6.3)", "目标（如 6）或具体目标（如 6.3）"),
    "search_any_word": (
        "no result has every word: these have some of them",
        "没有结果包含全部搜索词：以下结果包含其中部分词",
    ),
    "search_nothing": ("Nothing found.", "未找到结果。"),
    "search_pages": ("Result pages", "结果分页"),
    "search_prev": ("Previous", "上一页"),
    "search_next": ("Next", "下一页"),
    "search_help": (
        "Chinese is split into words and English words are reduced to their stem, so 水资源管理 finds "
        "水资源的可持续管理 and “sponge city” finds “sponge cities”. The same search as:",
        "中文按词切分，英文按词干匹配，因此“水资源管理”可找到“水资源的可持续管理”，“sponge city”可找到"
        "“sponge cities”。同一搜索的数据接口：",
    ),
    "about": (
        "A knowledge graph of what the parties commit to, built from each programme's source text (Chinese "
        "or English): every commitment is the source's own words, traceable to its exact span; translations "
        "and SDG alignments are ours and marked as such.",
        "根据各工作方案原文（中文或英文）构建的合作承诺知识图谱：每条承诺均为原文表述，可追溯到确切位置；"
        "译文和可持续发展目标关联由本项目整理，并作相应标注。",
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
