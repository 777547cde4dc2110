"""The services the page is serving, swapped as a whole when an index generation is put in service:
at once after this process's own ingest, and within a second of another process's (an admin's
`python -m ingest`, or another replica sharing the data folder)."""

from __future__ import annotations

import threading
import time

from regstudy.composition import Services, open_services
from regstudy.kb import generations

FOLLOW_EVERY_S = 1.0  # how often a request looks at the pointer (one small file read)


class LiveServices:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._swap = threading.Lock()
        self._looked = time.monotonic()

    @property
    def services(self) -> Services:
        if time.monotonic() - self._looked > FOLLOW_EVERY_S:
            self._looked = time.monotonic()
            self._follow_pointer()
        return self._services

    def reload(self) -> None:
        """Every service re-opened on the index now in service."""
        with self._swap:
            self._services = open_services(self._services.settings)

    def _follow_pointer(self) -> None:
        in_service = generations.current_generation(self._services.settings.index_dir)
        stale = in_service is not None and in_service != self._services.assistant.kb.folder
        if stale and self._swap.acquire(blocking=False):  # one request re-opens; the others go on meanwhile
            try:
                self._services = open_services(self._services.settings)
            finally:
                self._swap.release()
