"""coopkg.similarity: the measure behind the build's similarity pairs and the comparison page."""

from __future__ import annotations

import pytest

from coopkg import similarity
from coopkg.similarity import Text, cosine, features, matches, score


def test_identical_texts_score_one_and_disjoint_texts_zero() -> None:
    assert score("定期举行双边经贸联委会。", "定期举行双边经贸联委会。", "zh") == 1.0
    assert score("海洋生态环境保护和修复。", "乳品技术等乳制品行业合作。", "zh") == 0.0


def test_punctuation_spaces_and_line_breaks_change_nothing() -> None:
    assert score("定期举行双边经贸联委会。", "定期举行 双边\n经贸联委会", "zh") == 1.0
    assert (
        score("（一）定期举行双边经贸联委会；", "定期举行双边经贸联委会。", "zh") < 1.0
    )  # the mark 一 is a letter


def test_the_common_frame_of_chinese_commitments_is_not_similarity() -> None:
    # 双方将在……领域开展交流 is every other commitment's frame; the subjects differ entirely.
    assert score("双方将在极地科学考察领域开展交流。", "双方将在公共卫生领域开展交流。", "zh") == 0.0


def test_chinese_uses_character_bigrams() -> None:
    assert features("联委会", "zh") == {"联委": 1, "委会": 1}
    assert features("水", "zh") == {"水": 1}
    assert features("。", "zh") == {}


def test_english_uses_content_words_case_insensitively() -> None:
    assert features("The two sides will hold the Commission", "en") == {"hold": 1, "commission": 1}
    assert score("Hold the Joint Commission regularly.", "hold the joint commission REGULARLY", "en") == 1.0


def test_cosine_of_an_empty_vector_is_zero() -> None:
    assert cosine({}, {"a": 1}) == 0.0


def test_score_is_symmetric_and_between_zero_and_one() -> None:
    a, b = (
        "城市可持续发展，包括气候变化适应、海绵城市和建筑能效。",
        "城市可持续发展，包括气候变化适应和海绵城市建设。",
    )
    assert score(a, b, "zh") == score(b, a, "zh")
    assert 0.5 < score(a, b, "zh") < 1.0


def test_matches_compare_in_a_common_language_best_first() -> None:
    earlier = [
        Text(
            "urn:e1",
            {
                "zh": "定期举行双边经贸联委会。",
                "en": "Hold the Joint Economic and Trade Commission regularly.",
            },
        ),
        Text("urn:e2", {"zh": "有机食品和农业。"}),
    ]
    later = [
        Text("urn:l1", {"en": "Hold the Joint Economic and Trade Commission every year."}),  # English only
        Text("urn:l2", {"zh": "定期举行双边经贸联委会。"}),
        Text("urn:l3", {"fr": "Rien en commun."}),
    ]
    found = matches(earlier, later)
    assert [(m.earlier, m.later, m.lang) for m in found] == [
        ("urn:e1", "urn:l2", "zh"),
        ("urn:e1", "urn:l1", "en"),
    ]
    assert found[0].score == 1.0
    assert found[1].score == pytest.approx(score(earlier[0].texts["en"], later[0].texts["en"], "en"))


def test_matches_leave_out_pairs_below_the_threshold() -> None:
    earlier = [Text("urn:e", {"zh": "中国和丹麦将定期举行政府间科技合作联委会会议。"})]
    later = [Text("urn:l", {"zh": "继续定期举行双边经贸联委会。"})]  # shares 定期举行……联委会 only
    assert score(earlier[0].texts["zh"], later[0].texts["zh"], "zh") < similarity.THRESHOLD
    assert matches(earlier, later) == []
    assert len(matches(earlier, later, threshold=0.0)) == 1
