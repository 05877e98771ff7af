"""Publish a run's outputs: Parquet tables, run.json, a DuckDB file and an HTML report.

Everything is written into a temporary directory beside the target and moved into place
at the end, so a failed run never leaves a half-written output.
"""

from pipeline.output.publish import OutputTables, publish_outputs

__all__ = ["OutputTables", "publish_outputs"]
