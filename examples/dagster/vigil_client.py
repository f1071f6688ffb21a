"""A Vigil client with nothing but the Python standard library (urllib), for orchestrator tasks.

Import it in a DAG or an asset check, or run it as a script:

    python3 vigil_client.py check --dataset banking.transactions --file load.csv --fail-on block,failed

The gateway comes from --url or VIGIL_URL (default http://localhost:5080), the API key from --key or VIGIL_API_KEY.
The script's exit codes are the `vigil` CLI's: 0 passed, 1 blocked, 2 usage, 3 run failed, 4 rejected, 5 unreachable,
6 timed out. This file is the same in examples/airflow and examples/dagster: copy it beside your DAG or asset code.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

PASSED, BLOCKED, USAGE, RUN_FAILED, REJECTED, UNREACHABLE, TIMED_OUT = 0, 1, 2, 3, 4, 5, 6
FAIL_ON_NAMES = ("failed", "block", "review", "rules", "drift")
MEDIA_TYPES = {".json": "application/json", ".ndjson": "application/x-ndjson", ".jsonl": "application/x-ndjson"}


class VigilError(Exception):
    """Vigil could not be asked, or refused; exit_code says which (REJECTED, UNREACHABLE, TIMED_OUT)."""

    def __init__(self, exit_code, message):
        super().__init__(message)
        self.exit_code = exit_code


class VigilClient:
    def __init__(self, url=None, api_key=None, timeout=60):
        self.url = (url or os.environ.get("VIGIL_URL") or "http://localhost:5080").rstrip("/")
        self.api_key = api_key or os.environ.get("VIGIL_API_KEY")
        self.timeout = timeout

    def submit(self, dataset, path, source_path=None, execution_date=None, callback_url=None, idempotency_key=None):
        """Submits a batch file (or, with source_path, a source/target pair); returns the receipt with its runId."""
        query = {k: v for k, v in (("executionDate", execution_date), ("callbackUrl", callback_url)) if v}
        kind = "batches" if source_path is None else "reconciliations"
        target = f"/api/datasets/{urllib.parse.quote(dataset)}/{kind}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        if source_path is None:
            with open(path, "rb") as f:
                body = f.read()
            headers["Content-Type"] = _media_type(path)
        else:
            body, headers["Content-Type"] = _multipart({"source": source_path, "target": path})
        return self._call("POST", target, body, headers)

    def run(self, run_id):
        """The run as GET /api/runs/{id} shows it, or None while it is not known yet."""
        try:
            return self._call("GET", f"/api/runs/{run_id}")
        except VigilError as e:
            if getattr(e, "status", None) == 404:
                return None
            raise

    def wait(self, run_id, timeout=900, progress=None):
        """Polls until the run is failed, or completed with its validation summary (or 10 s after completion)."""
        deadline, delay, completed_seen, last = time.monotonic() + timeout, 0.25, None, None
        while True:
            run = self.run(run_id)
            if run is not None:
                status = run.get("status")
                if progress and status != last:
                    progress(f"run {run_id}: {status}")
                last = status
                if status == "failed":
                    return run
                if status == "completed":
                    completed_seen = completed_seen or time.monotonic()
                    if isinstance(run.get("validation"), dict) or time.monotonic() - completed_seen > 10:
                        return run
            if time.monotonic() + delay > deadline:
                raise VigilError(TIMED_OUT, f"run {run_id} had not ended after {timeout} s (last seen: {last or 'not yet known'})")
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)

    def check(self, dataset, path, source_path=None, fail_on=("block", "failed"), timeout=900, progress=None, **submit_options):
        """Submit, wait, judge: returns the verdict dict (passed, exitCode, reasons, run)."""
        receipt = self.submit(dataset, path, source_path, **submit_options)
        if progress:
            progress(f"accepted: run {receipt['runId']}")
        return verdict(self.wait(receipt["runId"], timeout, progress), fail_on)

    def _call(self, method, path, body=None, headers=None):
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=dict(headers or {}))
        if self.api_key:
            request.add_header("X-Api-Key", self.api_key)
        request.add_header("Accept", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            error = VigilError(UNREACHABLE if e.code >= 500 else REJECTED, f"{method} {path} answered {e.code}: {_explain(e.read())}")
            error.status = e.code
            raise error from None
        except (urllib.error.URLError, OSError) as e:
            raise VigilError(UNREACHABLE, f"Vigil at {self.url} cannot be reached: {getattr(e, 'reason', e)}") from None


def verdict(run, fail_on=("block", "failed")):
    """Judges an ended run against the fail-on conditions, like `vigil check --wait --fail-on`."""
    unknown = [name for name in fail_on if name not in FAIL_ON_NAMES]
    if unknown:
        raise ValueError(f"fail_on: {unknown} not among {FAIL_ON_NAMES}")
    decisions = run.get("decisionCounts") or {}
    validation = run.get("validation") or {}
    reasons, exit_code = [], PASSED
    if "failed" in fail_on and run.get("status") == "failed":
        failure = run.get("failure") or {}
        reasons.append(f"run failed in {failure.get('stage')}: {failure.get('reason')}")
        exit_code = RUN_FAILED
    data_conditions = [
        ("block", decisions.get("block", 0) > 0, f"{decisions.get('block', 0)} record(s) scored block"),
        ("review", decisions.get("review", 0) > 0, f"{decisions.get('review', 0)} record(s) scored review"),
        ("rules", (validation.get("rulesFailed") or 0) > 0, f"{validation.get('rulesFailed')} rule(s) failed"),
        ("drift", bool(validation.get("drift")), f"schema drift: {validation.get('drift')}"),
    ]
    for name, holds, why in data_conditions:
        if name in fail_on and holds:
            reasons.append(why)
            exit_code = exit_code or BLOCKED
    return {"runId": run.get("runId"), "dataset": run.get("dataset"), "status": run.get("status"), "passed": exit_code == PASSED,
            "exitCode": exit_code, "reasons": reasons, "decisions": decisions, "dqScore": validation.get("dqScore"), "run": run}


def _media_type(path):
    return MEDIA_TYPES.get(os.path.splitext(path)[1].lower(), "text/csv")


def _multipart(files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, path in files.items():
        with open(path, "rb") as f:
            content = f.read()
        header = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{os.path.basename(path)}"\r\n'
                  f"Content-Type: {_media_type(path)}\r\n\r\n")
        parts.append(header.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _explain(body):
    try:
        problem = json.loads(body)
        return ": ".join(str(problem[k]) for k in ("title", "detail") if problem.get(k))
    except (ValueError, AttributeError):
        return body[:300].decode(errors="replace")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="vigil_client.py", description="Submit a load to Vigil and exit with its verdict.")
    parser.add_argument("command", choices=["check"])
    parser.add_argument("--url")
    parser.add_argument("--key")
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--source")
    parser.add_argument("--execution-date")
    parser.add_argument("--callback-url")
    parser.add_argument("--fail-on", default="block,failed")
    parser.add_argument("--timeout", type=int, default=900)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return USAGE if e.code else PASSED
    fail_on = tuple(n for n in args.fail_on.split(",") if n)
    if any(n not in FAIL_ON_NAMES for n in fail_on):
        print(f"--fail-on: use {', '.join(FAIL_ON_NAMES)}", file=sys.stderr)
        return USAGE
    client = VigilClient(args.url, args.key)
    try:
        result = client.check(args.dataset, args.file, args.source, fail_on, args.timeout,
                              progress=lambda line: print(f"vigil: {line}", file=sys.stderr),
                              execution_date=args.execution_date, callback_url=args.callback_url)
    except OSError as e:
        print(f"vigil: cannot read a file: {e}", file=sys.stderr)
        return USAGE
    except VigilError as e:
        print(f"vigil: {e}", file=sys.stderr)
        return e.exit_code
    print(json.dumps({k: v for k, v in result.items() if k != "run"}))
    return result["exitCode"]


if __name__ == "__main__":
    sys.exit(main())
