"""A second admin process for the corpus-change tests (run by them, not collected by pytest).

corpus_worker.py publish DATA CORPUS NAME ROUNDS   publish NAME-r each round, delete it again on odd rounds,
                                                  meeting the other worker at a barrier file each round
corpus_worker.py crash DATA CORPUS POINT          replace 意见, dying with SIGKILL at POINT
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest import corpus_changes, pipeline  # noqa: E402
from ingest.library import Library  # noqa: E402
from regstudy.settings import load_settings  # noqa: E402

TEXT = "{title}\n第一条 为了{word}，制定本办法。\n第二条 本办法由{word}负责解释。\n第三条 本办法自发布之日起施行。\n"


def regulation(folder: Path, title: str, word: str) -> Path:
    path = folder / f"{title}.txt"
    path.write_text(TEXT.format(title=title, word=word), encoding="utf-8")
    return path


def barrier(folder: Path, name: str, round_: int) -> None:
    (folder / f"ready-{round_}-{name}").touch()
    while len(list(folder.glob(f"ready-{round_}-*"))) < 2:
        time.sleep(0.01)


def publish_rounds(library: Library, name: str, rounds: int) -> None:
    uploads = library.settings.data_dir.parent / f"uploads-{name}"
    uploads.mkdir(exist_ok=True)
    for r in range(rounds):
        preview = library.preview(regulation(uploads, f"测试{name}第{r}号办法", f"检验{name}{r}"))
        barrier(library.settings.data_dir.parent, name, r)
        library.publish(preview.token, f"{name}-{r}", preview.title, [f"{name}{r}号办法"])
        if r % 2:
            library.delete(f"{name}-{r}")


def kill_at(point: str) -> None:
    """Make the named step die with SIGKILL as it starts."""

    def die(*_args: object, **_kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    if point == "parse":
        pipeline.parse_source = die  # type: ignore[assignment]
    else:
        setattr(corpus_changes, point, die)


def crash(library: Library, point: str) -> None:
    uploads = library.settings.data_dir.parent / "uploads"
    uploads.mkdir(exist_ok=True)
    preview = library.preview(regulation(uploads, "关于规范党员干部网络行为的意见", "改版"))
    kill_at(point)
    library.publish(preview.token, "yijian", "关于规范党员干部网络行为的意见", ["意见"])
    raise SystemExit("the kill point was never reached")


def main() -> None:
    command, data, corpus = sys.argv[1:4]
    library = Library(load_settings(data_dir=Path(data), corpus_dir=Path(corpus), embedding_model="none"))
    if command == "publish":
        publish_rounds(library, sys.argv[4], int(sys.argv[5]))
    else:
        crash(library, sys.argv[4])


if __name__ == "__main__":
    main()
