"""The meaning check: an item whose options, read alone, state something the article does not is
rejected — separately from how items are made (`choice`, `truefalse`), reading only the item and the
article text. Verbatim is not enough:

- `fragment-of-list`: a key cut from the word that governs its list. In 歪曲党的历史、中华人民共和国
  历史、人民军队历史等有严重政治问题的信息 the list items after the first are objects of 歪曲, so
  人民军队历史 alone is no “有严重政治问题的信息”; in 不法串联、联署、集会 the 不法 binds them all.
  Only a list whose first item carries nothing but the items themselves, or a modal verb outside the
  category (自觉抵制崇洋媚外、炫富斗阔…), may give keys item by item.
- `fragment-of-clause`: an option offered as something to do that opens with a coverb (结合, 按照,
  通过…) and that the article continues after a comma with the act itself (结合网络公众账号和网络
  行为类型，形成……制度规范): it says how, not what. (通过网络泄露……工作秘密。 is a whole act.)
- `true-elsewhere`: a distractor to 党员不得（ ）that another article forbids too (or, for 应当, requires
  too): only the article number would make it wrong.
- `broken-flip`: a false 判断 statement whose 可以/可以不 does not stand where the article has a modal
  word (党员应当积极通过网可以不广泛宣传).
- `awkward-negation`: a false 判断 statement made with 不必/无须 (the issue: false statements must read
  naturally).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from regstudy.kb.lexical import words
from regstudy.modality import MODAL, STANCE_OF, clauses
from regstudy.quotes import comparable
from regstudy.study.quiz.items import JUDGE, MULTIPLE, SINGLE, QuizItem

CATEGORY_STEM = re.compile(r"属于“[^”]+”|以下哪[些一]项?|下列.{0,6}(有|是)")
COVERBS = ("结合", "按照", "依照", "根据", "通过", "围绕", "针对", "对", "在", "以", "把", "将")
FLIPPED_FROM = ("不得", "不准", "严禁", "应当", "必须", "要")  # what a 可以/可以不 may stand for
AWKWARD = ("不必", "无须", "无需", "不用")
# words that may stand before a list's first item without governing its items' meaning
LIST_OPENERS = ("或者", "以及", "和", "及", "与", "等")
QUALIFIERS = ("不法", "非法", "违法", "违规", "有害", "不良", "虚假", "错误", "反动", "不正当", "有关")


@dataclass(frozen=True)
class Rejection:
    rule: str
    option: str


def misstatements(item: QuizItem, article: str, scope: Sequence[str] = ()) -> list[Rejection]:
    """What the item states that the article does not (empty when it is sound); `scope`: the texts
    of every article the paper draws on, for distractors that are true elsewhere."""
    if item.type == JUDGE:
        awkward = [Rejection("awkward-negation", item.stem) for w in AWKWARD if w in item.stem and item.answer is False]
        return awkward + _broken_flip(item, scope)
    if item.type not in (SINGLE, MULTIPLE) or (not CATEGORY_STEM.search(item.stem) and "（　）" not in item.stem):
        return []
    found = []
    for option in item.correct_options():
        if CATEGORY_STEM.search(item.stem) and _cut_from_its_list(option, article):
            found.append(Rejection("fragment-of-list", option))
        if option.startswith(COVERBS) and _leads_into_more(option, article):
            found.append(Rejection("fragment-of-clause", option))
    asked = _asked_stance(item.stem)
    wrong = [o for o in item.options if o not in item.correct_options()]
    found += [Rejection("true-elsewhere", o) for o in wrong if asked and _holds_in(o, asked, scope)]
    return found


def _broken_flip(item: QuizItem, scope: Sequence[str]) -> list[Rejection]:
    """A false statement saying 可以 or 可以不 must read as an article's sentence with its modal word
    replaced (or say 可以 where an article does): 党员应当积极通过网可以不广泛宣传 is no sentence."""
    statement = comparable(item.statement.rstrip("。"))
    if item.answer is not False or "可以" not in statement or not scope:
        return []
    texts = [comparable(t) for t in scope]
    at = statement.find("可以")
    flip = "可以不" if statement.startswith("可以不", at) else "可以"
    context = statement[max(at - 2, 0) : at + len(flip) + 2]
    restored = [statement[:at] + m + statement[at + len(flip) :] for m in FLIPPED_FROM]
    if any(r in t for r in restored for t in texts) or any(context in t for t in texts):
        return []
    return [Rejection("broken-flip", item.stem)]


def _leads_into_more(option: str, article: str) -> bool:
    """The article goes on after the option with a comma and no new modal: the option is a piece."""
    text, needle = comparable(article), comparable(option)
    at = text.find(needle)
    after = text[at + len(needle) :] if at >= 0 else ""
    if not after.startswith("，"):
        return False
    return not MODAL.match(re.split("[，。；]", after[1:], maxsplit=1)[0])


def _asked_stance(stem: str) -> str:
    """The stance a stem like 党员不得（　） asks for: the modal right before the blank."""
    before = stem.split("（　）")[0] if "（　）" in stem else ""
    found = list(MODAL.finditer(before[-8:]))
    return STANCE_OF.get(found[-1].group(0), "") if found else ""


def _holds_in(option: str, stance: str, scope: Sequence[str]) -> bool:
    """Some article's clause of that stance contains the option."""
    return any(option in c.text and c.stance == stance for text in scope if option in text for c in clauses(text))


def _cut_from_its_list(option: str, article: str) -> bool:
    """The option is a later item of a 、-list whose first item carries a governing word."""
    text = comparable(article)
    at = text.find(comparable(option))
    if at <= 0 or text[at - 1] != "、":
        return False
    longest = max(1.5 * len(option), len(option) + 2)
    end = at - 1  # walk back over items about as long as this one, to the list's first chunk
    while True:
        start = max(text.rfind(mark, 0, end) for mark in "、，；：。") + 1
        chunk = text[start:end]
        if start == 0 or text[start - 1] != "、" or len(chunk) > longest:
            break
        end = start - 1
    return _governed(chunk, option)


def _governed(first_chunk: str, option: str) -> bool:
    """Whether words in the first chunk before its own item govern the whole list: the chunk ends in
    the same word as the option, so the items are objects of what precedes (歪曲党的历史 …
    人民军队历史), or a qualifier stands right before the item (不法串联、联署; 有财产价值的网络账号).
    A modal verb (自觉抵制崇洋媚外、炫富斗阔) or an act (传播文字、图片) stands outside the category."""
    chunk_words, own = words(first_chunk), max(len(words(option)), 1)
    extra = [w for w in chunk_words[:-own] if w not in LIST_OPENERS]
    if not extra or MODAL.search("".join(extra)):
        return False
    parallel = chunk_words[-1:] == words(option)[-1:]
    return parallel or extra[-1] in QUALIFIERS or extra[-1].endswith("的")
