"""Every PDF may read our own static files and nothing else."""

import pytest
from django.template import engines

from ccpt.lib import pdf


def test_our_static_files_are_read():
    assert pdf.static_file(pdf.BASE_URL + "static/css/site.css").endswith("site.css")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/tracker.png",
        pdf.BASE_URL + "media/applications/1/secret.pdf",
        pdf.BASE_URL + "static/../../ccpt/settings.py",
        pdf.BASE_URL + "static/nothing-here.css",
    ],
)
def test_anything_else_is_refused(url):
    with pytest.raises(ValueError):
        pdf.static_file(url)


def test_a_page_that_points_elsewhere_still_renders_without_fetching_it(tmp_path, settings, monkeypatch):
    fetched = []
    monkeypatch.setattr(pdf, "static_file", lambda url: fetched.append(url) or (_ for _ in ()).throw(ValueError(url)))
    template = tmp_path / "page.html"
    template.write_text(
        '<p>Award letter</p><img src="file:///etc/passwd"><link rel="stylesheet" href="/static/css/site.css">'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    engines._engines = {}  # noqa: SLF001 - the settings changed; let Django build its engines again

    document = pdf.render_pdf("page.html", {})

    assert document.startswith(b"%PDF")
    assert "file:///etc/passwd" in fetched
