"""Everything the chunk builders share: config, pools, geography, persons."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.generate.config import GeneratorConfig
from pipeline.generate.lookup import NameTable
from pipeline.generate.origins import Origin
from pipeline.generate.people import Geography, People
from pipeline.generate.pool import Pool


@dataclass
class World:
    """Shared state of one generation run (read-only once persons exist)."""

    cfg: GeneratorConfig
    seed: int
    origins: list[Origin]
    pools: list[Pool]
    geo: Geography
    people: People
    cities: list[tuple[str, ...]]
    names: NameTable | None = None

    @property
    def table(self) -> NameTable:
        """The spelling table (built once all identities exist)."""
        if self.names is None:
            raise RuntimeError("name table not built yet")
        return self.names
