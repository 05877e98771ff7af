"""Output contracts: run before any output file is published."""

from __future__ import annotations

from typing import Final, Literal

import polars as pl

from pipeline.contracts.engine import run_suite
from pipeline.contracts.suite import SuiteName, load_suite
from pipeline.errors import OutputContractError

OutputName = Literal["matches", "screening"]
OUTPUT_SUITES: Final[dict[OutputName, SuiteName]] = {
    "matches": "matches_out",
    "screening": "screening_out",
}
SAMPLE_ROWS: Final = 3


def check_output(name: OutputName, df: pl.DataFrame) -> None:
    """Raise OutputContractError when ``df`` violates the ``name`` output contract."""
    suite = load_suite(OUTPUT_SUITES[name])
    for finding in run_suite(suite, df.to_pandas()):
        if finding.success and finding.error is None:
            continue
        where = f" (rows {list(finding.rows[:SAMPLE_ROWS])}...)" if finding.rows else ""
        detail = f": {finding.error}" if finding.error else ""
        raise OutputContractError(
            f"{name} output violates its contract: {finding.rule.message}{where}{detail}; "
            "nothing was published"
        )
