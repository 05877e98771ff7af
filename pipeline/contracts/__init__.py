"""Data contracts: the JSON suites in ``data_contracts/`` applied with Great Expectations.

``check_input`` splits an input batch into passed rows, quarantined rows and
warnings; ``check_output`` refuses an output table that breaks its contract;
``validate_inputs`` runs the input contracts of a job chunk by chunk for
``chrilink validate``. See docs/contracts.md.
"""

from pipeline.contracts.inputs import ContractOutcome, check_input
from pipeline.contracts.outputs import check_output
from pipeline.contracts.report import (
    InputSummary,
    ReasonCount,
    ValidationReport,
    render_validation_html,
    validate_inputs,
    write_validation_html,
)
from pipeline.contracts.suite import ContractDefinitionError, load_suite

__all__ = [
    "ContractDefinitionError",
    "ContractOutcome",
    "InputSummary",
    "ReasonCount",
    "ValidationReport",
    "check_input",
    "check_output",
    "load_suite",
    "render_validation_html",
    "validate_inputs",
    "write_validation_html",
]
