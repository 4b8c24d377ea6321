"""A small HTTP client for real servers: no proxy, no redirects followed, an optional cookie jar."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar


@dataclass
class Response:
    status: int
    headers: dict
    text: str

    def json(self):
        return json.loads(self.text)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, jar: CookieJar | None = None):
        self.jar = jar
        handlers = [urllib.request.ProxyHandler({}), _NoRedirect()]
        if jar is not None:
            handlers.append(urllib.request.HTTPCookieProcessor(jar))
        self._opener = urllib.request.build_opener(*handlers)

    def get(self, url: str, headers: dict | None = None) -> Response:
        return self._send(urllib.request.Request(url, headers=headers or {}))

    def post_form(self, url: str, data: dict) -> Response:
        body = urllib.parse.urlencode(data).encode()
        return self._send(urllib.request.Request(url, data=body, method="POST"))

    def post_json(self, url: str, data: dict, headers: dict | None = None) -> Response:
        request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        return self._send(request)

    def _send(self, request) -> Response:
        try:
            with self._opener.open(request, timeout=60) as r:
                return Response(r.status, dict(r.headers), r.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as e:
            return Response(e.code, dict(e.headers), e.read().decode("utf-8", "replace"))


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
