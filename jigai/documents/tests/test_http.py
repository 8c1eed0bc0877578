from urllib.parse import unquote

import pytest

from jigai.documents.http import content_disposition


def test_a_chinese_file_name_is_sent_as_rfc_5987_utf8_with_an_ascii_fallback():
    header = content_disposition("2019年6月项目清单.xlsx")
    assert header.startswith('attachment; filename="2019_6.xlsx"; ')
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "2019年6月项目清单.xlsx"
    assert all(ord(ch) < 128 for ch in header)


def test_a_file_name_cannot_break_the_header():
    header = content_disposition('a";\r\nSet-Cookie: x.csv')
    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2


@pytest.fixture
def django_settings():
    from django.conf import settings

    if not settings.configured:  # running with -p no:django
        settings.configure(DEFAULT_CHARSET="utf-8")
    return settings


def test_xlsx_response_is_an_attachment_with_the_right_type(django_settings):
    from jigai.documents.http import xlsx_response

    response = xlsx_response("项目清单", b"PK\x03\x04")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E6%B8%85%E5%8D%95.xlsx" in response["Content-Disposition"]
    assert response.content == b"PK\x03\x04"


def test_a_path_in_the_file_name_is_flattened(django_settings):
    from jigai.documents.http import docx_response

    response = docx_response("../../etc/通报.docx", b"x")
    assert "%2F" not in response["Content-Disposition"]
    assert "/" not in response["Content-Disposition"].split("filename*=")[1]
