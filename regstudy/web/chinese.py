"""Chinese whatever the browser's language, and room for the phone's keyboard.

Gradio translates its own labels (toast titles, the copy button, upload boxes, aria labels) by
`navigator.language`, read once while its module script starts, before any `head` script we give it
runs. `ChineseFirst` puts a one-line script at the top of the page's <head> that reports zh-CN;
`gradio_translations` fills the keys Gradio's zh-CN lacks."""

from __future__ import annotations

from typing import Any

from regstudy.prompts import Prompts

# Runs before Gradio's module script (module scripts are deferred; this one is not).
EARLY_SCRIPT = (
    b"<script>for(const [k,v] of [['language','zh-CN'],['languages',['zh-CN','zh']]])"
    b"Object.defineProperty(Navigator.prototype,k,{get:()=>v,configurable:true});</script>"
)


def gradio_translations(prompts: Prompts) -> dict[str, Any]:
    """Gradio i18n keys → Chinese, for the keys its own zh-CN file leaves in English
    (`prompts/gradio_zh.toml`)."""
    return {"zh-CN": prompts.table("gradio_zh")}


class ChineseFirst:
    """ASGI middleware: the page itself (an HTML GET) gets EARLY_SCRIPT after `<head>`,
    `lang="zh-CN"` and a viewport that resizes for the keyboard; every other response passes
    through untouched."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not _is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        start: dict = {}
        body = bytearray()

        async def held(message: dict) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            page = _with_early_script(bytes(body)) if _is_html(start) else bytes(body)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, held)


def _is_page(path: str) -> bool:
    return path == "/" or (path.endswith("/") and "/gradio_api/" not in path and "/file=" not in path)


def _is_html(start: dict) -> bool:
    headers = dict((k.lower(), v) for k, v in start.get("headers", []))
    return headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers


def _with_early_script(page: bytes) -> bytes:
    page = page.replace(b'lang="en"', b'lang="zh-CN"', 1)
    # With the on-screen keyboard up, the page shrinks above it, so the question box (sticky at the
    # foot) stays in sight instead of under the keyboard (Chrome on Android).
    page = page.replace(b"initial-scale=1,", b"initial-scale=1, interactive-widget=resizes-content,", 1)
    return page.replace(b"<head>", b"<head>" + EARLY_SCRIPT, 1)
