"""HTML that Gradio's Markdown renderer leaves as it is. The chat and Markdown components run Markdown
over their content, so a regulation's text holding `[请点此登录](http://…)` or `![](http://…)`
would become a link or a remote image even after HTML escaping. In text (never inside tags) the
characters Markdown acts on become numeric character references, which it shows but never parses."""

from __future__ import annotations

import html
import re

TAG = re.compile(r"(<[^>]*>)")
MARKDOWN = str.maketrans({ch: f"&#{ord(ch)};" for ch in "[]()!*_`~|\\<>"})


def markdown_inert(markup: str) -> str:
    """Already escaped HTML with Markdown's characters neutralised in its text."""
    parts = TAG.split(markup)
    return "".join(part if n % 2 else part.translate(MARKDOWN) for n, part in enumerate(parts))


def inert_text(text: str) -> str:
    """Plain text (a question, a partial answer) shown as exactly those characters."""
    return markdown_inert(html.escape(text))
