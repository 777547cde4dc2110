"""Questions that ask for a specific fact the documents do not state: an amount, a time limit, a
date, a procedure, a penalty grade, a list of names, a number, contact details.

Two independent readings decide it. The question's wording says which kind of fact it asks for
(多少钱 → 金额, 几天内 → 期限); the articles' own text says whether they state a fact of that kind
(a sum in 元, a period of days, a calendar date, a grade of 处分…). When the question asks for one
and none of the articles it would be answered from states one, the answer says so and quotes them
as possibly related, never as the answer: a rule on 直播打赏 is not a ruling on how much is allowed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from regstudy.records import Unit

_N = r"[0-9０-９一二两三四五六七八九十百千万零〇]"


@dataclass(frozen=True)
class FactKind:
    """One kind of specific fact: how a question asks for it, how a text states it."""

    name: str  # as `ask --json` reports it (`unstated`)
    missing: str  # what the answer says is missing
    asked: re.Pattern[str]
    stated: re.Pattern[str]


def _kind(name: str, missing: str, asked: str, stated: str) -> FactKind:
    return FactKind(name, missing, re.compile(asked, re.IGNORECASE), re.compile(stated, re.IGNORECASE))


_MONEY = r"钱|元|块|金额|数额|额度|奖金|提成|稿费|补偿|慰问金|罚款|罚金|经费|费用|赔偿|工资|补贴|报酬|礼金|红包"
_THING = r"app|软件|平台|网站|应用|公众号|账号|群|网址|游戏|主播|博主|人|单位|文件|组织|书|刊物"
KINDS = (  # the first kind the question asks for decides
    _kind(
        "处分档次",
        "处分档次",
        r"(什么|哪种|哪些|啥|何种|几种|怎样|怎么|哪一?级|多重|多大)的?(党纪|纪律)?(处分|处理结果)|处分(分)?(几档|档次|等级|多重|轻重)"
        r"|是.{0,8}还是.{0,8}(警告|处分|开除|撤职)|会不会(被)?(直接)?(开除|撤职|处分|警告|记过|留党察看)|开除(党籍)?[吗么嘛]"
        r"|(受|挨|给|会受到|会被)(什么|啥|哪些|怎样的)(处分|处理|处罚|惩罚)|问责到(什么|啥)程度|(扣分|处分)[吗么嘛]",
        r"警告|严重警告|撤销党内职务|留党察看|开除党籍|记过|记大过|降级|撤职|开除|(给予|予以)[^。；]{0,8}处分",
    ),
    _kind(
        "金额",
        "具体金额",
        rf"(多少|几[百千万]?|多大)({_MONEY}|万)|({_MONEY})[^。？?]{{0,8}}(多少|几[百千万]|标准|上限)"
        r"|(罚|赔|补|退|交|扣|拿|收|打赏|送|花)(款)?(了)?多少|多少(以内|以下|以上)(不算|算|可以|没事)|不超过多少"
        r"|(打赏|罚款|赔偿|花钱|送礼|收礼)[^，。？?]{0,10}多少",  # 打赏主播一次最多能打多少
        rf"{_N}+(\.{_N}+)?\s*(元|万元|块|美元)|{_N}+倍以[上下]|{_N}+倍(的|以内)|百分之{_N}+|{_N}+\s*[%％]",
    ),
    _kind(
        "日期",
        "具体日期",
        r"哪一?年|几月几[号日]|哪一?天(发布|印发|出台|生效|施行|实施|开始)|具体(的)?日期|(发布|印发|成文)(日期|时间)|年月日"
        r"|几号(发布|印发|出台|生效|施行)|什么时候(截稿|截止|报名|发布|印发|出台)",
        rf"{_N}{{4}}\s*年|{_N}{{1,2}}\s*月\s*{_N}{{1,3}}\s*日",
    ),
    _kind(
        "期限",
        "具体时限",
        r"(几|多少)(个)?(天|日|小时|周|星期|个月|月|年|工作日)|多久|多长时间|(期限|时限|时效)|截止|最晚|什么时候(之前|以前|前)",
        rf"{_N}+\s*(个)?(日|天|小时|个月|月|年|工作日|周)(内|以内|之内|前|届满|为限)|期限(为|是)|时效期间|届满|之日起{_N}"
        rf"|每{_N}?(年|季度|半年|个月|月|周)",
    ),
    _kind(
        "联系方式",
        "联系方式",
        r"电话|热线|号码|网址|邮箱|官网|链接|二维码|(举报|投诉)(平台|渠道|网站)(是|叫)?(哪|什么|啥)",
        r"电话|热线|网址|邮箱|www\.|https?://|@|1\d{4,}|\d{7,}",
    ),
    _kind(
        "程序",
        "具体程序",
        r"流程|程序|步骤|手续|哪个部门|哪一?级(组织|部门|党组织)?(审批|批准|备案)?|去哪(里|儿)?(申请|申诉|办|交|报|备案|投诉)"
        r"|交(给|到)哪|(填|交|准备|提交)(什么|哪些|啥)(表|材料)|(怎么|如何|怎样)(申请|申诉|追缴|上交|打分|审批|备案|办理|报批)"
        r"|送审|几级审[核批]",
        # a step the article names (报告, 审批…) answers how it is done
        r"程序|步骤|流程|手续|提交[^。；]{0,10}材料|办理|报告|报批|批准|审批|审核|备案|登记|申请",
    ),
    _kind(
        "名单",
        "具体名单",
        rf"名单|清单|目录|列(一下|个|出来|举一下)|具体(是)?哪(些|几)个?({_THING})|哪些({_THING})(属于|算|是)",
        r"名单|目录|清单|》、《|”、“",  # a list of names (titles, quoted names); a list of behaviours is not one
    ),
    _kind(
        "数量",
        "具体数量",
        # 几 asks only after a word that makes it a question (存几篇文章 is "a few")
        r"多少(次|个|人|名|回|条|篇|分|字|级|档|遍|项|本|粉丝)|(要|需要|得|能|可以|最多|至少|一共|总共|每[^，。？]{0,4}|加|扣|评|占)几"
        r"(次|个|人|名|回|条|篇|分|字|级|档|遍|项|本)|(超过|达到|低于|不少于)多少|最多[^，。？?]{0,4}(几|多少)|多少(以上|以下|以内)"
        r"|占多少|(次数|数量|人数|比例)(是)?(多少|上限|限制)",
        rf"{_N}+\s*(次|个|人|名|回|篇|条|项|件|分)(以上|以下|以内|之内)|(不得|不)超过{_N}+|不少于{_N}+",
    ),
)


@dataclass(frozen=True)
class Unstated:
    """The kind of fact asked for and not stated."""

    kind: str
    missing: str


def asked_fact(question: str) -> FactKind | None:
    """The kind of specific fact the question asks for, if any."""
    return next((k for k in KINDS if k.asked.search(question)), None)


def unstated(question: str, units: Sequence[Unit]) -> Unstated | None:
    """What the question asks for that none of `units` (the articles it would be answered from)
    states; None when it asks for no specific fact, or one of them states one of that kind."""
    kind = asked_fact(question)
    if kind is None or not units:
        return None
    if any(kind.stated.search(u.text) for u in units):
        return None
    return Unstated(kind.name, kind.missing)


def missing_of(kind: str | None) -> str:
    """What the answer says is missing, for a kind `unstated` reported ("" for None)."""
    return next((k.missing for k in KINDS if k.name == kind), "")
