"""Prompt-injection attempts: recognised before anything is searched or sent to an LLM, and answered
with a fixed refusal (no system prompt, no invented article).

An attempt is aimed at the assistant itself: its instructions, its identity, its hidden context, or a
request to make up or rewrite a regulation. Words like 解除, 忽略, 角色, 扮演, 系统提示 or 要求 alone
are ordinary in legal questions (解除劳动合同, 扮演什么角色, 系统提示积分不足), so each pattern needs the
assistant (你, 上面/之前的指令) or the regulations' text as its object."""

from __future__ import annotations

import re

_OVERRIDE = (
    r"(忽略|无视|忘记|忘掉|不要管|不用管|别管|先别管|跳过|绕过|抛开|丢掉"
    r"|不用理会|不要理会|别理会|不必理会|覆盖|取消|解除|放下)"
)
_EARLIER = (
    r"(你的|你之前的|之前的?|以上的?|上面的?|前面的?|先前的?|此前的?|原来的?|原有的?"
    r"|所有的?|全部的?|一切|你所有的?|你全部的?|系统的?)"
)
_INSTRUCTIONS = (
    r"(指令|指示|设定|设置|规则|提示|说明|限制|约束|要求|规定|内容|对话|身份|角色|人设|过滤|审查|安全策略|检查)"
)
_YOU_BECOME = r"(你|您)((现在|从现在起|从现在开始|以后|今后|接下来|此后)(就|将)?(是|变成|成为|作为)|不再是|变成|成为)"
_UNBOUND = r"(没有|不受|无|不带|去掉|解除|摆脱)(任何|所有)?(规则)?(限制|约束|规矩|审查|过滤|道德|底线)"
_REVEAL_VERB = r"(输出|告诉我|打印|显示|展示|泄露|复述|重复|给我看|发给我|复制给我|原样|逐字|翻译)"
_HIDDEN = (
    r"(系统提示词?|提示词|初始(化)?(指令|说明|设定|提示|prompt)|隐藏的?(指令|设定|说明|提示|内容)"
    r"|上下文|配置|system\s*prompt|prompt)"
)
_FABRICATE = r"(编造|虚构|捏造|杜撰|伪造|瞎编|编一[条个段])"
_REGULATION = r"(条|规定|条文|法规|原文|一点|司法解释|法释|条例)"

INJECTION = re.compile(
    "|".join(
        (
            rf"{_OVERRIDE}.{{0,6}}{_EARLIER}.{{0,8}}{_INSTRUCTIONS}",
            rf"{_YOU_BECOME}.{{0,20}}({_UNBOUND}|AI|机器人|模型|人工智能|助手|律师|黑客|人格|角色|bot)",
            r"(你|您|请)(要|来|就|先)?(扮演|假装|充当|模拟|化身|装作|假扮)",
            r"(^|[，。；！？,.!?:：])\s*(请)?(扮演|假装|充当|假扮|装作)[^，。？！]{0,10}(告诉我|回答|给我|说说|讲讲)",
            r"(规则|设定|指令|规矩|说明|限制)(全部|都|均|已经)?(作废|无效|不再有效|失效|没用了|对你没用)",
            r"(你开头|开头那段|你被告知|被禁止谈论|禁止事项|被初始化|初始化时|原始指令|后台指令|系统级|原版ChatGPT)",
            r"新的?(规则|任务|指令|身份)\s*[:：]|模式已(开启|启动|激活)|条条框框",
            r"(以上|上面|之前|前面)的?(内容|指令|规则|设定|说明)?.{0,4}(为测试|是测试|请无视|请忽略|都作废)",
            r"(你的|你)(角色设定|回答规则|行为准则|内部规则|隐藏规则)",
            r"(当自己是|你就是|当成|做一个).{0,6}(没有|不受|无)(任何)?(规则)?(限制|约束|规矩)",
            r"(?<![A-Za-z])DAN(?![A-Za-z])",
            r"(不用|不必|无需|不再)遵守(你)?(原来|之前|以前|你的|原有|原始)的?(规则|设定|指令|限制)|给你(写|定|设)的(提示|指令|说明|规则)",
            r"你不是.{0,8}(助手|机器人|AI|模型)",
            r"(假装|假设|想象|设想)(你|您)(是|没有|不受|可以|已经)",
            r"(^|[\s>/])(system|admin|管理员|系统)\s*[:：]|新的?指令|管理员指令|我是你的(开发者|管理员|创造者|设计者|主人)|授权你",
            rf"(扮演|假装|充当|模拟|化身)(成|为)?(一个|一名)?[^，。？！,.?!]{{0,12}}({_UNBOUND}|AI|机器人|模型|越狱)",
            rf"{_UNBOUND}的?(AI|机器人|模型|助手|模式|人工智能|版本)",
            rf"{_REVEAL_VERB}.{{0,12}}{_HIDDEN}",
            rf"(你|你的|你收到的|你被设定的|你内部的).{{0,6}}{_HIDDEN}",
            r"(你收到的|你看到的|上下文中?的?|对话中?的?)(第一条|最初的?|全部|所有|隐藏)",
            r"(请|你).{0,6}(用|以|在|进入|开启|切换到|切换为|启用|打开)(调试|开发者|上帝|管理员|越狱|无限制|DAN)模式",
            r"(凭想象|凭空|自己|直接)?(写|编|拟)一[条段个].{0,12}(规定|条文|条款)",
            r"越狱|jailbr[eo]a?k|developer\s*mode|god\s*mode",
            rf"{_FABRICATE}.{{0,30}}{_REGULATION}",
            r"(改成|改为|换成|替换成).{0,30}(以|按|用).{0,8}(原文|条文|规定)的?(形式|口吻|格式|名义)",
            r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(instructions?|rules?|prompt|above|previous|prior|guidelines|restrictions|told|everything)\b",
            r"\b(you\s+are|you're)\s+(now|no\s+longer)\b|\bfrom\s+now\s+on\b",
            r"\b(repeat|print|reveal|show|output)\b.{0,30}\b(instructions?|prompt|above|everything)\b",
            r"\b(pretend|simulate|act\s+as|role-?play)\b",
        )
    ),
    re.IGNORECASE,
)


def is_injection(question: str) -> bool:
    return bool(INJECTION.search(question))
