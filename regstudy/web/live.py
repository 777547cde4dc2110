"""The services the page is serving, swapped as a whole when an admin's ingest puts a new index in
service (pages opened afterwards pick it up on load)."""

from __future__ import annotations

from regstudy.composition import Services, open_services


class LiveServices:
    def __init__(self, services: Services) -> None:
        self.services = services

    def reload(self) -> None:
        """Every service re-opened on the index now in service."""
        self.services = open_services(self.services.settings)
