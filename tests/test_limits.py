"""The `/ask` API's gate: at most `width` answers at once, served in arrival order."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from regstudy.web.limits import in_arrival_order


def test_answers_run_at_most_width_at_once_first_come_first_served() -> None:
    running, most, finished = 0, 0, []
    lock = threading.Lock()

    def answer(number: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
            finished.append(number)
        return number * 10

    gated = in_arrival_order(answer, width=2)

    async def everyone() -> list[int]:
        calls = []
        for number in range(12):
            calls.append(asyncio.ensure_future(gated(number)))
            await asyncio.sleep(0)  # each call arrives after the one before
        return await asyncio.gather(*calls)

    with ThreadPoolExecutor(1) as loop_thread:  # its own event loop, whatever runs in this thread
        assert loop_thread.submit(asyncio.run, everyone()).result() == [n * 10 for n in range(12)]
    assert most == 2
    # pairs run together, so a pair may finish in either order, but never before an earlier pair
    assert [sorted(finished[i : i + 2]) for i in range(0, 12, 2)] == [[i, i + 1] for i in range(0, 12, 2)]
