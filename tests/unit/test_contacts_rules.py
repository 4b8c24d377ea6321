"""A firm's contact details and credit code: the rules every path (API, form, import) applies."""
from __future__ import annotations

import pytest

from matchmaker.rules import check_enterprise
from matchmaker.rules.contacts import credit_code, email_problem, phone_problem, website_problem

FIRM = {"id": "E-1", "name": "成都测试科技有限公司", "role": "sme", "region": "510116"}


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B", " 91110000802100433b "])
def test_a_valid_credit_code_is_recognised_upper_cased(code):
    assert credit_code(code) == code.strip().upper()


@pytest.mark.parametrize("code", ["91350100M000100Y44",   # check character wrong
                                  "91350100M000100Y4",    # 17 characters
                                  "91350100M00O100Y43",   # O is not in the code's alphabet
                                  "E-1", "", None])
def test_anything_else_is_not_a_credit_code(code):
    assert credit_code(code) is None


@pytest.mark.parametrize("phone", ["028-8888 6666", "+86 28 8888 6666", "13800138000", "(028) 88886666 转 801",
                                   "028-88886666 ext. 12"])
def test_phone_numbers_people_write_are_accepted(phone):
    assert phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["call me", "12", "028-8888\n6666", "+86 28 8888 6666 转 abc"])
def test_other_text_is_not_a_phone_number(phone):
    assert phone_problem(phone) is not None


def test_websites_must_be_http_or_https():
    assert website_problem("https://www.example.cn/about?x=1") is None
    assert website_problem("http://example.com:8080") is None
    for bad in ("javascript:alert(1)", "data:text/html,hi", "www.example.cn", "https://", "https://localhost"):
        assert website_problem(bad) is not None, bad


def test_email_rule():
    assert email_problem("sales@example.cn") is None
    assert email_problem("sales@example") is not None


def test_an_enterprise_record_names_each_bad_contact_field():
    errors = check_enterprise({**FIRM, "phone": "call me", "email": "nobody", "website": "javascript:alert(1)",
                               "contact_person": "x" * 65})
    assert set(errors) == {"phone", "email", "website", "contact_person"}


def test_good_contacts_pass():
    assert check_enterprise({**FIRM, "contact_person": "张三", "phone": "028-8888 6666",
                             "email": "sales@example.cn", "website": "https://www.example.cn"}) == {}
