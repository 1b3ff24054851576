"""PDF rendering reads only static files and data: URIs: no network, no other files."""

import http.server
import threading
from pathlib import Path

import pytest

from sanyi.core.pdf import RefusedResource, pdf_url_fetcher, render_pdf

SRC = Path(__file__).resolve().parents[2]
GUIDE_CSS = SRC / "static" / "sanyi" / "guide.css"


@pytest.fixture
def listener():
    """A local HTTP server that records every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body{color:red}")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_rendering_never_fetches_from_the_network(listener):
    base, hits = listener
    html = (
        f'<link rel="stylesheet" href="{base}/evil.css">'
        f'<img src="{base}/metadata.png"><p style="background:url({base}/bg.png)">正文</p>'
    )

    pdf = render_pdf(html, base_url=base)

    assert pdf.startswith(b"%PDF")
    assert hits == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        f"file://{SRC / 'settings' / 'base.py'}",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/static/../settings/base.py",
        "http://example.com/static/..%2Fsettings%2Fbase.py",
        "ftp://example.com/a.css",
        "http://example.com/files/secret.pdf",
    ],
)
def test_anything_but_static_files_and_data_uris_is_refused(url):
    with pytest.raises(RefusedResource):
        pdf_url_fetcher()(url)


@pytest.mark.parametrize(
    "url",
    ["http://testserver/static/sanyi/guide.css", "/static/sanyi/guide.css", GUIDE_CSS.as_uri()],
)
def test_static_files_are_read_from_disk(url):
    response = pdf_url_fetcher()(url)
    assert response.read() == GUIDE_CSS.read_bytes()
    assert response.content_type == "text/css"


def test_data_uris_are_allowed():
    assert pdf_url_fetcher()("data:text/plain;charset=utf-8,%E5%8A%9E").read() == "办".encode()


def test_every_pdf_is_rendered_through_the_shared_fetcher():
    shared = SRC / "core" / "pdf.py"
    offenders = []
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or path == shared:
            continue
        text = path.read_text(encoding="utf-8")
        if "weasyprint import" in text or ".write_pdf(" in text:
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
