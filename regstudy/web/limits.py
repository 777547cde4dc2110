"""How many requests of a kind run at once.

Checking a handout, reading an upload, writing a quiz paper and publishing are pure Python that
holds the interpreter lock for seconds: they share one queue of width one (HEAVY), so any number of
them from any number of members leave the chat its share of the cores.

The `/ask` API answers in milliseconds, where the queue's own bookkeeping per event cost more than
the answer: it is called directly (queue=False) and `in_arrival_order` keeps it fair, since threads
left to race for the interpreter lock served some requests many times before others.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio.to_thread

HEAVY: dict[str, Any] = {"concurrency_id": "cpu-heavy", "concurrency_limit": 1}
ANSWERS_AT_ONCE = 2  # the cores of the machine the figures were measured on; more only contend
T = TypeVar("T")


def in_arrival_order(function: Callable[..., T], width: int = ANSWERS_AT_ONCE) -> Callable[..., Awaitable[T]]:
    """`function` run in worker threads, at most `width` at a time, first come first served
    (asyncio's semaphore wakes its waiters in order)."""
    slots: asyncio.Semaphore | None = None

    @functools.wraps(function)
    async def queued(*args: Any) -> T:
        nonlocal slots
        slots = slots or asyncio.Semaphore(width)  # made on the server's loop, at the first call
        async with slots:
            return await anyio.to_thread.run_sync(function, *args)

    return queued
