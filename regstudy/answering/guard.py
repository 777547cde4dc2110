"""Prompt-injection attempts: recognised before anything is searched or sent to an LLM, and
answered with a fixed refusal (no system prompt, no invented article)."""

from __future__ import annotations

import re

_OVERRIDE = r"(忽略|无视|忘记|忘掉|不要管|不用管|跳过|绕过|覆盖|取消|解除)"
_RULES = r"(设定|指令|规则|提示|要求|限制|约束|身份|角色|前面的话|以上内容|上面的内容)"
INJECTION = re.compile(
    rf"{_OVERRIDE}.{{0,12}}{_RULES}"
    r"|提示词|系统提示|系统消息|system\s*prompt|\bprompt\b|初始指令|你的(设定|指令|规则|身份|配置)"
    r"|(扮演|假装|假设你是|现在你是|你现在是)"
    r"|没有任何限制|不受任何限制|没有限制的|无限制的|解除限制"
    r"|越狱|jailbreak|开发者模式|developer\s*mode|\bDAN\b"
    r"|(编造|虚构|捏造|杜撰|编一条|编一个|编写一条|写一条|自己写|帮我写).{0,10}(条|规定|条文|法规)",
    re.IGNORECASE,
)


def is_injection(question: str) -> bool:
    return bool(INJECTION.search(question))
