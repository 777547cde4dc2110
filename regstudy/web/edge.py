"""Where errors are translated for the page, once: a handler's expected errors (RegStudyError, or a
message from `refuse`) are a member's mistake, already a Chinese message, logged as one INFO line;
anything else is a fault, logged with its traceback and shown as a plain Chinese message instead of
Gradio's bare "Error". Gradio itself prints no traceback for either (print_exception=False)."""

from __future__ import annotations

import functools
import html
import inspect
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import gradio as gr

from regstudy.errors import RegStudyError

log = logging.getLogger(__name__)
TITLE = "提示"  # a toast's title (Gradio's default is the English "Error")
FAULT = "处理时出现意外错误，已记录在日志中。请稍后再试；如一再出现，请联系管理员。"
T = TypeVar("T")
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
LOGGED_CHARS = 200


def loggable(message: str) -> str:
    """A message as one short log line: it may quote what a member typed (a quiz code with line
    breaks could otherwise forge log lines, a pasted handout fill the log)."""
    shown = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", message[:LOGGED_CHARS])
    return shown + ("…" if len(message) > LOGGED_CHARS else "")


def refuse(message: str) -> gr.Error:
    """A member's mistake (an empty question, a page without a paper): one INFO line, no traceback.
    `message` is HTML: whatever it quotes must already be escaped."""
    log.info("已提示用户：%s", loggable(message))
    return gr.Error(message, title=TITLE, print_exception=False)


def warn(message: str) -> None:
    """A warning toast with a Chinese title (Gradio's default is "Warning"); `message` is HTML."""
    log.info("已提示用户：%s", loggable(message))
    gr.Warning(message, title=TITLE)


def _translated(error: Exception) -> gr.Error:
    if isinstance(error, RegStudyError):
        return refuse(html.escape(str(error)))
    log.exception("未预料的错误")
    return gr.Error(FAULT, title=TITLE, print_exception=False)  # logged above, with the traceback, once


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.isgeneratorfunction(method):  # Gradio streams a generator: the wrapper must be one too

        @functools.wraps(method)
        def stream(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as error:
                raise _translated(error) from error

        return stream

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as error:
            raise _translated(error) from error

    return call


def at_the_edge(cls: type[T]) -> type[T]:
    """Every public method of a handler class answers a fault with a Chinese message."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member):
            setattr(cls, name, _guarded(member))
    return cls
