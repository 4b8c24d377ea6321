"""Money in words people read, and "why this supplier" built from the score parts, in both languages."""
from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict

from matchmaker.i18n import TRANSLATIONS, compile_catalogues
from matchmaker.web.formats import money_text
from matchmaker.web.match_view import (grade_name, opportunity_reasons, read_filters, supplier_reasons,
                                       tier_name)


@pytest.mark.parametrize("value, zh, en", [
    (8_500, "8,500元", "CNY 8,500"),
    (420_600, "42.06万元", "CNY 420,600"),
    (12_000_000, "1,200万元", "CNY 12 million"),
    (350_000_000, "3.5亿元", "CNY 350 million"),
    (2_345_000_000, "23.45亿元", "CNY 2.35 billion"),
    (None, "—", "—"),
])
def test_money(value, zh, en):
    assert money_text(value, "zh") == zh and money_text(value, "en") == en


@pytest.fixture(params=["zh", "en"])
def lang(request):
    compile_catalogues()
    app = Flask(__name__)
    Babel(app, locale_selector=lambda: request.param, default_translation_directories=str(TRANSLATIONS))
    with app.test_request_context():
        yield request.param


def _row(**parts) -> dict:
    components = {"text_lexical": 0.62, "text_semantic": 0.91, "category": "same", "certifications_met": ["IATF16949"],
                  "capacity_cover": 0.5, "local": True, "locality_preferred": True, "feedback": 0.0, **parts}
    return {"components": components, "missing_certifications": components.get("certifications_missing", []),
            "enterprise": {"tier": "little_giant"}}


def test_supplier_reasons_name_every_part(lang):
    texts = [r.text for r in supplier_reasons(_row(), "电机控制器")]
    expected = {"zh": ["文本相似度：字面 62%，语义 91%", "同一产品品类：电机控制器", "满足认证要求：IATF16949",
                       "产能可覆盖需求量的 50%", "本地供应商：匹配程度相同时优先排列", "企业梯度：专精特新“小巨人”"],
                "en": ["Text similarity: wording 62%, meaning 91%", "Same product category: 电机控制器",
                       "Certifications met: IATF16949", "Capacity covers 50% of the quantity",
                       "Local supplier: comes first among suppliers that fit equally well", "Tier: Little giant"]}
    assert texts == expected[lang]


def test_a_missing_certificate_is_a_warning_and_verdicts_are_told(lang):
    reasons = supplier_reasons(_row(certifications_missing=["ISO26262"], certifications_met=[], feedback=-1.0,
                                    category="feeds", capacity_cover=None, local=False, locality_preferred=False),
                               None)
    warnings = [r.text for r in reasons if r.warning]
    assert warnings == [{"zh": "缺少所需认证：ISO26262", "en": "Missing required certification: ISO26262"}[lang]]
    assert reasons[-1].text == {"zh": "您已将该供应商标记为不合适",
                                "en": "You dismissed this supplier for this item"}[lang]
    assert reasons[1].text == {"zh": "关联品类：存在上下游供给关系", "en": "Related category: one supplies the other"}[lang]
    confirmed = supplier_reasons(_row(feedback=0.2), None)[-1].text
    assert confirmed == {"zh": "您已确认该供应商", "en": "You confirmed this supplier for this item"}[lang]
    similar = supplier_reasons(_row(feedback=-0.05), None)[-1].text
    assert similar == {"zh": "因您对类似需求的否决而下调", "en": "Lowered by your dismissals on similar items"}[lang]


def test_opportunity_reasons_and_labels(lang):
    texts = [r.text for r in opportunity_reasons(_row(category="none", capacity_cover=1.0))]
    assert texts[1:] == {"zh": ["您的产能可覆盖需求量的 100%", "采购方优先本地供应商，您是本地企业"],
                         "en": ["Your capacity covers 100% of the quantity",
                                "The buyer prefers local suppliers, and you are local"]}[lang]
    assert grade_name(3) == {"zh": "高度匹配", "en": "Strong fit"}[lang]
    assert grade_name(1) == {"zh": "可能匹配", "en": "Possible fit"}[lang]
    assert tier_name("none") == "" and tier_name("gold") == ""


def test_a_bad_filter_is_left_out_and_named(lang):
    args, problem = read_filters(MultiDict({"tier": "gold", "local_only": "true", "certification": " IATF16949 "}))
    assert (args["tier"], args["local_only"], args["certification"]) == (None, True, "IATF16949")
    assert problem.message == {"zh": "部分筛选条件无效，已忽略。", "en": "Some filters are not valid and were ignored."}[lang]
    assert list(problem.fields) == [{"zh": "企业梯度", "en": "Tier"}[lang]]
    assert read_filters(MultiDict({"lang": "en", "tier": ""})) == (
        {"limit": 10, "local_only": False, "tier": None, "certification": None}, None)
