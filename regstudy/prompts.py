"""Prompts and user-facing Chinese templates, kept as files in `prompts/` and rendered strictly.

A template refers to its variables by name; a missing variable is an error, never an empty string.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from regstudy.errors import RegStudyError


class TemplateError(RegStudyError):
    """A template is missing or was rendered without one of its variables."""


def _environment(folder: Path, autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=autoescape,
        auto_reload=False,  # templates ship with the release: no stat() of the file on every render
    )
    env.filters["lines"] = _lines
    return env


def _lines(text: str) -> Markup:
    """Escaped text with its line breaks as <br>."""
    return Markup("<br>").join(escape(text).split("\n"))


class Prompts:
    """Text templates (`prompts/<name>.j2`) and HTML views (`prompts/html/<name>.html.j2`, autoescaped:
    every value is escaped unless it is `Markup` made by another template)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = _environment(folder, autoescape=False)
        self.html_env = _environment(folder / "html", autoescape=True)

    def render(self, name: str, **variables: Any) -> str:
        return _render(self.env, f"{name}.j2", variables)

    def html(self, name: str, **variables: Any) -> Markup:
        return Markup(_render(self.html_env, f"{name}.html.j2", variables, "html/"))

    def table(self, name: str) -> dict[str, Any]:
        """A table of user-facing words (`prompts/<name>.toml`), e.g. labels for another library."""
        path = self.folder / f"{name}.toml"
        if not path.is_file():
            raise TemplateError(f"模板不存在：prompts/{name}.toml")
        return tomllib.loads(path.read_text(encoding="utf-8"))


def _render(env: jinja2.Environment, file: str, variables: dict[str, Any], where: str = "") -> str:
    try:
        return env.get_template(file).render(**variables).strip()
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"模板不存在：prompts/{where}{file}") from error
    except jinja2.UndefinedError as error:
        raise TemplateError(f"模板 prompts/{where}{file} 缺少变量：{error.message}") from error
