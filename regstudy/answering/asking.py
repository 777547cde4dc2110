"""What a question asks, read from its wording: its kind (yes/no, duty, list, definition, who, when,
how many), whether it asks about leaving a duty undone (可以不报告吗), and what it establishes about
the asker (a 干部?) and the situation (以职务身份? 擅自?), so a conclusion can say when a rule binds
only a narrower subject or condition than the question states."""

from __future__ import annotations

import re
from dataclasses import dataclass

YES_NO, DUTY, LIST, DEFINITION, WHO, WHEN, COUNT, OTHER = (
    "yes_no",
    "duty",
    "list",
    "definition",
    "who",
    "when",
    "count",
    "other",
)
KINDS = (  # first match wins: a list or definition question is not a yes/no one for containing 能
    (COUNT, r"(多少|几)(条|点|章)"),
    (LIST, r"哪些|哪几[种类样个条项]|都有(啥|什么|哪)|包括(啥|什么|哪)|有什么(要求|规定|禁止)|列举"),
    (DEFINITION, r"什么是|啥是|是什么意思|啥意思|指什么|指的是|什么叫|啥叫|定义|含义|怎么理解"),
    (WHO, r"向谁|找谁|跟谁|谁(来|负责|管)|(向|找|到)哪(里|儿|个部门)|哪个部门"),
    (WHEN, r"什么时候|啥时候|何时|哪天|哪一天|多久"),
    (
        DUTY,
        r"怎么办|咋办|咋整|该怎么|应该怎么|怎么做|怎么处理|应当|应该|该不该|要不要|需不需要|需要.{0,12}[吗么嘛]"
        r"|必须.{0,12}[吗么嘛]|得不得|有没有(义务|责任)|是不是要|是否(需要|应当|应该|要)",
    ),
    (
        YES_NO,
        r"能不能|能否|可不可以|可以.{0,16}[吗么嘛不]|能.{0,16}[吗么嘛]|是否|违规|违纪|违反|犯(不犯)?纪律|算不算|算.{0,16}[吗么嘛]"
        r"|行不行|行[吗么嘛]|合适[吗么嘛]|允许|会不会被|有(问题|事)[吗么嘛]|没(问题|事)吧|要紧[吗么嘛]|妥[吗么嘛]|[吗么嘛][？?!！]*$",
    ),
)
_KIND_PATTERNS = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in KINDS)
# asks whether a duty may be left undone; 不良/不实/不法… are words, and 能不能/可不可以 ask about doing
_NOT_OMISSION = "(?![良实法当正宜好能可行是会])"
OMISSION = re.compile(
    rf"(可以|能|能否|是否可以|可不可以)不{_NOT_OMISSION}|不(用|必|需要?){_NOT_OMISSION}|没必要"
    rf"|不{_NOT_OMISSION}[\u4e00-\u9fff]{{1,6}}(行不行|行[吗么]|可以[吗么]|可不可以|会怎样|算违规|有事[吗么]|没事吧)"
    r"|装(作|成)?没看[见到]|当没看[见到]|视而不见|不管不问|不理会"
)
# asks what to do about something (我该怎么办, 要不要管): answered by a duty, never by a ban on something else
WHAT_TO_DO = re.compile(
    r"怎么办|咋办|咋整|该怎么|应该怎么|应当怎么|怎么做|怎么处理|如何处理|(要|该)不(要|该)管|管不管|该做什么|能做什么|做点什么"
)
CADRE = re.compile(
    r"干部|领导|局长|处长|科长|厅长|部长|书记|主任|县长|镇长|乡长|市长|村长|支书|公务员|处级|科级|官员|一把手|所长|院长"
)
NOT_CADRE = re.compile(r"普通党员|不是干部|非干部|没有职务|没职务|一般党员|老百姓")
# the everyday words that establish each condition of `modality.CONDITIONS`
CONDITION_CUES = {
    "以职务身份": r"职务|身份|官方|名义|头衔|公职|政务号|官号|工作号|亮明|局长|处长|科长|书记|主任|县长|镇长|乡长",
    "利用职务便利": r"职务便利|职务之便|职权|职位|利用职务|权力|手里的权|下属|服务对象|办事|分管|审批|管理对象",
    "违反有关规定": r"违反|违规|不合规|没报批|未经批准|没批准|没按规定|不按规定",
    "擅自": r"擅自|私自|偷偷|私下|没经过|未经|没报|没批准|没审批|自己(搭|弄|装|买|建)",
    "非法定信道": r"翻墙|vpn|梯子|科学上网|加速器|代理|非法定|(?<!境)外网|fq|魔法上网",
    "沉迷": r"沉迷|上瘾|通宵|整天|天天|熬夜|停不下来|没日没夜|成瘾",
    "不法": r"非法|不法|违法|反动|境外势力|煽动|闹事",
    "不正当利益": r"钱|收费|好处|利益|报酬|红包|返利|谋利|赚|[0-9一二三四五六七八九十百千万]+(块|元)",
}
_CUES = {condition: re.compile(cues, re.IGNORECASE) for condition, cues in CONDITION_CUES.items()}


@dataclass(frozen=True)
class Asking:
    """What a question asks and what it establishes."""

    question: str
    kind: str
    omission: bool  # 可以不……吗: whether a duty may be left undone
    cadre: bool  # the asker or the person asked about is a 干部 (and not said to be an ordinary member)
    what_to_do: bool = False  # 我该怎么办: the answer is a duty (应当……举报), not a ban

    def establishes(self, condition: str) -> bool:
        """Whether the question says the condition holds (以职务身份 ← 用局长的名头)."""
        cue = _CUES.get(condition)
        return bool(cue and cue.search(self.question))


def read(question: str) -> Asking:
    kind = next((k for k, pattern in _KIND_PATTERNS if pattern.search(question)), OTHER)
    to_do = bool(WHAT_TO_DO.search(question)) and kind == DUTY
    return Asking(question, kind, bool(OMISSION.search(question)), about_cadre(question), to_do)


def about_cadre(question: str) -> bool:
    """The asker or the person asked about is a 干部, and not said to be an ordinary member."""
    return bool(CADRE.search(question)) and not NOT_CADRE.search(question)
