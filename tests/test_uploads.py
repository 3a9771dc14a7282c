"""Uploads recognised by content, with real small files built here (tests/samples.py): markup is not text, a PDF/ZIP
polyglot is not a PDF, macros are found by content type and by content whatever their part's name; real candidates'
files (Windows-1252 or UTF-16 text, a PDF with stray bytes before its header) are accepted."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recruitment.models import Application, ApplicationDocument, Candidate
from recruitment.uploads import MACRO_MESSAGE, MARKUP_MESSAGE, REMOTE_MESSAGE, TYPE_MESSAGE, check_document
from tests import samples
from tests.api.conftest import make_partner
from tests.api.test_applications import URL, form
from tests.factories import AdvertisedVacancyFactory

pytestmark = pytest.mark.django_db

TEMPLATE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
HYPERLINK_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

REFUSED = {
    "html-page": ("page.txt", b"<!DOCTYPE html><html><body><p>My CV</p></body></html>", MARKUP_MESSAGE),
    "html-script": ("cv.txt", b"<html><script>alert(1)</script></html>", MARKUP_MESSAGE),
    "script-tag-in-text": ("cv.txt", b"Nurse.\n<script src=https://evil.example/x.js></script>\n", MARKUP_MESSAGE),
    "svg": (
        "cv.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>',
        MARKUP_MESSAGE,
    ),
    "xml": ("cv.xml", b'<?xml version="1.0"?><cv><name>Amara</name></cv>', MARKUP_MESSAGE),
    "utf16-html": ("cv.txt", "<html>Zoë</html>".encode("utf-16"), MARKUP_MESSAGE),  # whatever the encoding
    "pdf-zip-polyglot": ("cv.pdf", samples.pdf_zip_polyglot(), TYPE_MESSAGE),
    "zip-pdf-polyglot": ("cv.docx", samples.zip_pdf_polyglot(), TYPE_MESSAGE),
    "docx-renamed-vba-part": ("cv.docx", samples.docx_with_renamed_macros(), MACRO_MESSAGE),
    "docx-vba-part-under-image-name": ("cv.docx", samples.docx_with_hidden_vba_project(), MACRO_MESSAGE),
    "docx-macro-enabled-main-part": ("cv.docx", samples.docx(main_type=samples.MACRO_MAIN), MACRO_MESSAGE),
    "doc-with-macros": ("cv.doc", samples.word_97_document(macros=True), MACRO_MESSAGE),
    "docx-remote-template": (
        "cv.docx",
        samples.docx(document_relationships=((TEMPLATE_RELATIONSHIP, "https://evil.example/t.dotm", "External"),)),
        REMOTE_MESSAGE,
    ),
    "exe-before-pdf-header": ("cv.pdf", b"MZ\x90\x00" + b"\x00" * 60 + samples.PDF_BYTES, TYPE_MESSAGE),
    "markup-before-pdf-header": ("cv.pdf", b"<html><body>" + samples.PDF_BYTES, TYPE_MESSAGE),
    "pdf-header-too-far": ("cv.pdf", b"\x00" * 2000 + samples.PDF_BYTES, TYPE_MESSAGE),  # past the first 1,024 bytes
    "binary-junk": ("cv.txt", b"\x00\x01\x02\xff" * 10, TYPE_MESSAGE),
    "escape-sequence-in-text": ("cv.txt", b"Name: Amara\x1b[31m Okafor", TYPE_MESSAGE),
}

ACCEPTED = [
    ("cv.txt", samples.CV_TEXT.encode("cp1252"), "text/plain", samples.CV_TEXT),
    ("cv.txt", samples.CV_TEXT.encode("utf-16"), "text/plain", samples.CV_TEXT),  # with its byte order mark
    ("cv.txt", samples.CV_TEXT.encode("utf-16-le"), "text/plain", samples.CV_TEXT),  # without one
    ("cv.txt", "\ufeff".encode() + samples.CV_TEXT.encode(), "text/plain", samples.CV_TEXT),
    ("cv.txt", b"Contact: <amara@example.com>, <https://example.com/cv>; salary < 30k.\n", "text/plain", None),
    ("cv.pdf", b"\r\n" + b"x" * 1000 + samples.PDF_BYTES, "application/pdf", None),
    ("cv.pdf", b"\xef\xbb\xbf" + samples.PDF_BYTES, "application/pdf", None),
    ("cv.docx", samples.docx(), samples.MAIN.replace(".main+xml", ""), None),
    (
        "cv.docx",
        samples.docx(document_relationships=((HYPERLINK_RELATIONSHIP, "https://linkedin.example/in/a", "External"),)),
        samples.MAIN.replace(".main+xml", ""),
        None,
    ),
    ("cv.doc", samples.word_97_document(), "application/msword", None),
]
ACCEPTED_IDS = [
    "windows-1252",
    "utf16-bom",
    "utf16le-no-bom",
    "utf8-bom",
    "addresses-in-angle-brackets",
    "1002-bytes-before-pdf-header",
    "bom-before-pdf-header",
    "docx",
    "docx-with-a-hyperlink",
    "word-97",
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("name", "content", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_by_content(name, content, message):
    with pytest.raises(ValidationError) as excinfo:
        check_document(upload(name, content), field="cv")
    assert excinfo.value.message_dict == {"cv": [message]}


@pytest.mark.parametrize(("name", "content", "content_type", "text"), ACCEPTED, ids=ACCEPTED_IDS)
def test_accepted_by_content(name, content, content_type, text):
    checked = check_document(upload(name, content), field="cv")
    assert checked.content_type == content_type
    if text is not None:  # text is kept as UTF-8 whatever it came in
        checked.file.seek(0)
        assert checked.file.read().decode("utf-8") == text
        assert checked.size == len(text.encode("utf-8"))


def test_the_renamed_macro_part_is_found_by_its_content_type_alone():
    """No OLE content to read in the part: only [Content_Types].xml says it is a VBA project."""
    package = samples.docx(extra_defaults={"dat": samples.VBA_PROJECT_TYPE}, extra_parts={"word/notes.dat": b"x"})
    with pytest.raises(ValidationError) as excinfo:
        check_document(upload("cv.docx", package))
    assert excinfo.value.message_dict == {"cv": [MACRO_MESSAGE]}


def test_a_vba_relationship_alone_is_refused():
    package = samples.docx(document_relationships=((samples.VBA_RELATIONSHIP, "notes.dat"),))
    with pytest.raises(ValidationError) as excinfo:
        check_document(upload("cv.docx", package))
    assert excinfo.value.message_dict == {"cv": [MACRO_MESSAGE]}


def test_a_windows_1252_cv_through_the_api_is_stored_and_served_as_utf8():
    partner = make_partner()
    job = AdvertisedVacancyFactory(division=partner.division)
    cv = upload("cv.txt", samples.CV_TEXT.encode("cp1252"))
    response = partner.client.post(URL, form(job, cv=cv), format="multipart")
    assert response.status_code == 201, response.content
    document = ApplicationDocument.objects.get()
    assert (document.content_type, document.original_name) == ("text/plain", "cv.txt")
    download = partner.client.get(response.json()["documents"][0]["url"])
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert b"".join(download.streaming_content).decode("utf-8") == samples.CV_TEXT


@pytest.mark.parametrize("case", ["html-page", "pdf-zip-polyglot", "docx-renamed-vba-part"])
def test_refusals_through_the_api_name_the_field_and_create_nothing(case):
    name, content, message = REFUSED[case]
    partner = make_partner()
    job = AdvertisedVacancyFactory(division=partner.division)
    response = partner.client.post(URL, form(job, cv=upload(name, content)), format="multipart")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "cv", "message": message}]
    assert not Candidate.objects.exists()
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()


@pytest.mark.parametrize("case", ["html-script", "docx-renamed-vba-part"])
def test_refusals_on_the_careers_site_show_next_to_the_field_and_create_nothing(client, case):
    name, content, message = REFUSED[case]
    job = AdvertisedVacancyFactory()
    data = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "email": "amara@example.com",
        "privacy_notice": "on",
        "cv": upload(name, content),
    }
    response = client.post(reverse("careers-apply", args=[job.reference]), data)
    assert response.status_code == 200
    assert 'id="id_cv-error"' in response.text
    assert message in response.text.replace("&#x27;", "'")
    assert not Candidate.objects.exists()
    assert not ApplicationDocument.objects.exists()


def test_a_pdf_with_bytes_before_its_header_is_accepted_on_the_careers_site(client):
    job = AdvertisedVacancyFactory()
    data = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "email": "amara@example.com",
        "privacy_notice": "on",
        "cv": upload("cv.pdf", b"\r\n\r\n" + samples.PDF_BYTES),
    }
    assert client.post(reverse("careers-apply", args=[job.reference]), data).status_code == 302
    assert ApplicationDocument.objects.get().content_type == "application/pdf"
