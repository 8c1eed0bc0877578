import re
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from .import_books import county_workbook, library

@pytest.mark.django_db
def test_show(client_for, users, settings, tmp_path):
    settings.JIGAI_IMPORT_UPLOAD_DIR = str(tmp_path)
    lib = library()
    c = client_for("clerk")
    r = c.post("/imports/upload/", {"table": "projects", "mode": "all", "file": SimpleUploadedFile("恩施市.xlsx", county_workbook(lib))})
    html = r.content.decode()
    main = html[html.index("<main>"):html.index("</main>")]
    print(re.sub(r"\n\s*\n", "\n", main)[:6000])
    print(c.get("/imports/").content.decode()[-2500:])
