"""gunicorn's settings for CCPT Grants; gunicorn reads ./gunicorn.conf.py from the directory it is started in.

No Server header. gunicorn 27 has no setting for it (its maintainers declined one: benoitc/gunicorn#825): every
HTTP/1 response starts with the lines of `Response.default_headers()` (gunicorn/http/wsgi.py), and "Server:
gunicorn" is one of them, whatever the application sets. So the line is dropped there, once, in the master before
the workers fork. tests/test_gunicorn.py starts gunicorn with this file and fails if a Server header comes back
(for instance after an upgrade renames that method). HTTP/2 (http_protocols = "h2") would need the same for
gunicorn/http2/response.py; this site serves HTTP/1.1 behind a TLS-terminating proxy.
"""

from gunicorn.http import wsgi

wsgi_app = "ccpt.wsgi:application"
http_protocols = "h1"

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server
