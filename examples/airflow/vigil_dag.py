"""An Airflow DAG: load a batch, then let Vigil judge it; the check task fails the DAG run when the data is bad.

The logic is in check_load(), plain Python over vigil_client.py (standard library only), so it runs and is tested
without Airflow:  python3 -c "import vigil_dag; print(vigil_dag.check_load('banking.transactions', 'load.csv'))"
Airflow itself is imported only to define the DAG, and only where it is installed.
"""

import os

from vigil_client import VigilClient

DATASET = os.environ.get("VIGIL_DATASET", "banking.transactions")


class VigilCheckFailed(Exception):
    """Raised by the task so Airflow marks it failed (and stops downstream tasks)."""


def check_load(dataset, path, source_path=None, execution_date=None, fail_on=("block", "failed"), client=None):
    """Submits the loaded file, waits for the verdict and raises VigilCheckFailed when a fail-on condition holds."""
    client = client or VigilClient()
    result = client.check(dataset, path, source_path, fail_on, progress=print, execution_date=execution_date)
    summary = {k: v for k, v in result.items() if k != "run"}
    if not result["passed"]:
        raise VigilCheckFailed(f"Vigil's verdict on {dataset} run {result['runId']}: {'; '.join(result['reasons'])}")
    return summary


try:  # Airflow is not installed where this example is tested; the DAG is defined only where it is.
    import pendulum
    from airflow.decorators import dag, task
except ImportError:
    dag = None

if dag is not None:

    @dag(schedule="@hourly", start_date=pendulum.datetime(2026, 1, 1, tz="UTC"), catchup=False, tags=["vigil"])
    def load_then_vigil_check():
        @task
        def load(ds=None):
            # Your load: write the batch you just loaded to a file (or export it) and hand on its path.
            return f"/data/exports/{DATASET}/{ds}.csv"

        @task
        def vigil_check(path, ds=None):
            # The run's logical date becomes Vigil's execution date, so a retried task is recognised as the same batch.
            return check_load(DATASET, path, execution_date=ds)

        vigil_check(load())

    load_then_vigil_check()
