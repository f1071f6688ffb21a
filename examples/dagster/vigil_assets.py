"""Dagster: an asset that loads a batch, and an asset check that asks Vigil for its verdict (blocking on failure).

The logic is in verdict_for(), plain Python over vigil_client.py (standard library only), so it runs and is tested
without Dagster:  python3 -c "import vigil_assets; print(vigil_assets.verdict_for('banking.transactions', 'load.csv'))"
Dagster itself is imported only to define the asset and its check, and only where it is installed.
"""

import os

from vigil_client import VigilClient

DATASET = os.environ.get("VIGIL_DATASET", "banking.transactions")


def verdict_for(dataset, path, source_path=None, execution_date=None, fail_on=("block", "failed"), client=None):
    """Submits the file, waits, and returns (passed, metadata) for an AssetCheckResult."""
    client = client or VigilClient()
    result = client.check(dataset, path, source_path, fail_on, execution_date=execution_date)
    metadata = {
        "run_id": result["runId"],
        "status": result["status"],
        "decisions": result["decisions"],
        "dq_score": result["dqScore"],
        "reasons": "; ".join(result["reasons"]) or "none",
    }
    return result["passed"], metadata


try:  # Dagster is not installed where this example is tested; the definitions exist only where it is.
    import dagster as dg
except ImportError:
    dg = None

if dg is not None:

    @dg.asset
    def transactions_load() -> str:
        # Your load: write the batch you just loaded to a file (or export it) and return its path.
        return f"/data/exports/{DATASET}/latest.csv"

    @dg.asset_check(asset=transactions_load, blocking=True, description="Vigil's verdict on the loaded batch")
    def vigil_verdict(transactions_load: str) -> dg.AssetCheckResult:
        passed, metadata = verdict_for(DATASET, transactions_load)
        return dg.AssetCheckResult(passed=passed, metadata=metadata,
                                   severity=dg.AssetCheckSeverity.ERROR)

    defs = dg.Definitions(assets=[transactions_load], asset_checks=[vigil_verdict])
