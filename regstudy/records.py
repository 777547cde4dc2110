"""Domain records: our own frozen dataclasses, independent of any library's types."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ARTICLE = "article"  # 第X条
POINT = "point"  # 一、二、… in documents like the 意见
SECTION = "section"  # title, preamble, notices, signature and date blocks
# sections that speak about the document (who issued or forwarded it, when, to whom), not about conduct
PARATEXT_LABELS = frozenset({"标题", "通知", "印发通知", "转发通知", "报送范围", "印发机关和日期", "题注"})
LISTING_FIELDS = ("id", "document", "doc_id", "kind", "article", "label", "marker", "chapter", "chapter_path", "text",
                  "source", "ocr")  # fmt: skip


@dataclass(frozen=True)
class DocumentNumber:
    """A 文号 and what it belongs to, as the document states it."""

    number: str
    role: str
    issuers: tuple[str, ...] = ()
    date: str | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """What the manifest (or, for unlisted files, the file itself) says about a document."""

    id: str
    title: str
    source: str
    aliases: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()
    numbers: tuple[DocumentNumber, ...] = ()
    dates: tuple[tuple[str, str], ...] = ()  # (ISO date, what happened on it)
    note: str = ""
    edition: str = ""  # ISO date of this edition ('' when the text states none)
    status: str = ""  # in_force | superseded ('' when no other edition is indexed)
    superseded_by: str = ""  # the id of the edition in force, for a superseded one

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentInfo:
        """From `dataclasses.asdict` output (or the manifest's equivalent)."""
        numbers = tuple(
            DocumentNumber(n["number"], n.get("role", ""), tuple(n.get("issuers", ())), n.get("date"))
            for n in data.get("numbers", ())
        )
        return cls(
            id=data["id"],
            title=data["title"],
            source=data["source"],
            aliases=tuple(data.get("aliases", ())),
            issuers=tuple(data.get("issuers", ())),
            numbers=numbers,
            dates=tuple((d[0], d[1]) for d in data.get("dates", ())),
            note=data.get("note", ""),
            edition=data.get("edition", ""),
            status=data.get("status", ""),
            superseded_by=data.get("superseded_by", ""),
        )

    @property
    def shown_title(self) -> str:
        """《title》, with the edition when other editions are indexed (they share the title)."""
        status = {"in_force": "现行有效", "superseded": "已被新版取代"}.get(self.status)
        return f"《{self.title}》（{self.edition}版，{status}）" if status else f"《{self.title}》"

    def names(self) -> tuple[str, ...]:
        """Every name a user may write for this document, longest first: its title, aliases and the
        文号 of the notices that issue or forward it (in any of the brackets people type)."""
        names = {self.title, f"《{self.title}》", *self.aliases}
        names |= {variant for n in self.numbers for variant in number_variants(n.number)}
        short = self.title.removeprefix("中华人民共和国")  # how laws are usually named
        if short != self.title and len(short) >= 4:
            names |= {short, f"《{short}》"}
        return tuple(sorted(names, key=len, reverse=True))


def number_variants(number: str) -> set[str]:
    """中宣发〔2017〕20号 as people type it: 〔〕, [], （）, (), 【】 or ［］ around the year."""
    opened = number.find("〔")
    closed = number.find("〕", opened)
    if opened < 0 or closed < 0:
        return {number}
    head, year, tail = number[:opened], number[opened + 1 : closed], number[closed + 1 :]
    return {f"{head}{left}{year}{right}{tail}" for left, right in ("〔〕", "[]", "（）", "()", "【】", "［］")}


@dataclass(frozen=True)
class Unit:
    """One addressable piece of a document: an article, a numbered point or a section."""

    id: str
    doc_id: str
    document: str
    kind: str
    article: int
    label: str
    text: str
    chapter_path: tuple[str, ...] = ()
    marker: str = ""  # how the document itself writes the number: 第十三条, 四、
    ordinal: int = 0  # position within the document
    source: str = ""
    ocr: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def chapter(self) -> str:
        return " / ".join(self.chapter_path)

    @property
    def is_paratext(self) -> bool:
        return self.kind == SECTION and self.label in PARATEXT_LABELS

    @property
    def paragraphs(self) -> list[str]:
        """The 款 of an article (paragraphs of a section), in order."""
        return self.text.split("\n")

    @property
    def citation(self) -> str:
        return f"《{self.document}》{self.label}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["chapter_path"] = list(self.chapter_path)
        data["chapter"] = self.chapter
        return data

    def to_listing(self) -> dict[str, Any]:
        """The fields `python -m regstudy articles --json` prints, in that order."""
        data = self.to_dict()
        return {key: data[key] for key in LISTING_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["chapter_path"] = tuple(known.get("chapter_path", ()))
        return cls(**known)
