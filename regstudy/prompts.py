"""Prompts and user-facing Chinese templates, kept as files in `prompts/` and rendered strictly.

A template refers to its variables by name; a missing variable is an error, never an empty string.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from regstudy.errors import RegStudyError


class TemplateError(RegStudyError):
    """A template is missing or was rendered without one of its variables."""


class Prompts:
    def __init__(self, folder: Path) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )

    def render(self, name: str, **variables: Any) -> str:
        try:
            return self.env.get_template(f"{name}.j2").render(**variables).strip()
        except jinja2.TemplateNotFound as error:
            raise TemplateError(f"模板不存在：prompts/{name}.j2") from error
        except jinja2.UndefinedError as error:
            raise TemplateError(f"模板 prompts/{name}.j2 缺少变量：{error.message}") from error
