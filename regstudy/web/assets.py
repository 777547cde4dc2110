"""What the page carries besides components: the stylesheet (page.css) and the script in <head>
(page.js: citation links, the address, new answers from their start, uploads over the size limit,
labels left in English), with the constants the script needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from regstudy.prompts import Prompts
from regstudy.settings import Settings

HERE = Path(__file__).parent
CSS = (HERE / "page.css").read_text(encoding="utf-8")
SCRIPT = (HERE / "page.js").read_text(encoding="utf-8")


def _constant(name: str, value: Any) -> str:
    """A JavaScript constant from JSON, so that text stays inert inside <script>."""
    inert = json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
    return f"const {name} = {inert};\n"


def page_head(prompts: Prompts, settings: Settings) -> str:
    """The script with the upload limit, its Chinese message and the label translations filled in."""
    constants = (
        _constant("RS_UPLOAD_MAX_BYTES", settings.upload_max_bytes)
        + _constant("RS_UPLOAD_REFUSED", prompts.render("upload_too_large", limit=settings.upload_max_mb))
        + _constant("RS_LABELS", prompts.table("page_labels"))
    )
    return f"<script>\n{constants}{SCRIPT}</script>"
