#!/usr/bin/env bash
# Vigil in five minutes, against a running Vigil (`dotnet run --project AppHost` in another terminal):
# an API key, a dataset with rules, a CSV batch with a few defects, its run, anomalies and reports, a reconciliation
# of a source extract against its target, a model trained on the first run, and an NDJSON batch scored by it.
#
# Settings (environment variables; the defaults fit a local `dotnet run --project AppHost`):
#   VIGIL_GATEWAY        the gateway's address                   (default http://127.0.0.1:5080)
#   VIGIL_ADMIN_KEY      the admin key, used once to create a key (default: read from .vigil/gateway/admin-key)
#   VIGIL_KEY            an API key with scopes ingest, read, admin (default: one is created with VIGIL_ADMIN_KEY)
#   VIGIL_QUICKSTART_OUT where downloaded reports go              (default: ./quickstart-output)
# Needs bash and curl; runs again safely (the same batch for the same day is recognised and its run returned).
set -euo pipefail

examples="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$examples")"
GATEWAY="${VIGIL_GATEWAY:-http://127.0.0.1:5080}"
GATEWAY="${GATEWAY%/}"
OUT="${VIGIL_QUICKSTART_OUT:-$PWD/quickstart-output}"
DATASET="quickstart.transactions"
mkdir -p "$OUT"

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'quickstart: %s\n' "$*" >&2; exit 1; }
# The first value of a string or number field in a JSON answer (enough for these answers; no jq needed).
field() { { grep -o "\"$1\":\"\{0,1\}[^\",}]*" || true; } | head -n 1 | sed 's/^[^:]*:"\{0,1\}//'; }
# curl that fails on an error status and prints the answer's problem+json when there is one.
call() {
  local answer status
  answer="$(curl -sS -w '\n%{http_code}' "$@")" || fail "could not reach $GATEWAY (is 'dotnet run --project AppHost' running?)"
  status="${answer##*$'\n'}"
  answer="${answer%$'\n'*}"
  [[ "$status" =~ ^2 ]] || fail "$status from ${*: -1}: $answer"
  printf '%s' "$answer"
}
api() { call -H "X-Api-Key: $VIGIL_KEY" "$@"; }

# Polls a run until it is completed or failed (every run ends one or the other, with its reason).
wait_for_run() {
  local run="$1" answer status
  for _ in $(seq 1 180); do
    # A run appears in GET /api/runs a moment after its batch is accepted: 404 until then.
    answer="$(curl -sS -H "X-Api-Key: $VIGIL_KEY" "$GATEWAY/api/runs/$run")" || fail "could not reach $GATEWAY"
    status="$(printf '%s' "$answer" | field status)"
    if [ "$status" = completed ] || [ "$status" = failed ]; then
      printf '%s' "$answer" > "$OUT/run-$run.json"
      echo "run $run: $status (rows $(printf '%s' "$answer" | field rowCount), anomalies $(printf '%s' "$answer" | field anomalyCount), DQ score $(printf '%s' "$answer" | field dqScore), rules failed $(printf '%s' "$answer" | field rulesFailed))"
      [ "$status" = completed ] || fail "run $run failed: $(printf '%s' "$answer" | field reason)"
      return 0
    fi
    sleep 1
  done
  fail "run $run did not end within 3 minutes"
}

step "0. Is Vigil up? ($GATEWAY/health)"
for attempt in $(seq 1 60); do
  curl -sf -o /dev/null "$GATEWAY/health" && break
  [ "$attempt" -eq 60 ] && fail "no answer from $GATEWAY/health: start Vigil with 'dotnet run --project AppHost' first"
  sleep 1
done
echo "gateway is up"

step "1. An API key (scopes ingest, read, admin), created with the admin key"
if [ -z "${VIGIL_KEY:-}" ]; then
  if [ -z "${VIGIL_ADMIN_KEY:-}" ]; then
    admin_file="$repo/.vigil/gateway/admin-key"
    [ -r "$admin_file" ] || fail "no admin key at $admin_file: set VIGIL_ADMIN_KEY (or VIGIL_KEY)"
    VIGIL_ADMIN_KEY="$(cat "$admin_file")"
  fi
  created="$(call -X POST "$GATEWAY/api/admin/keys" -H "X-Api-Key: $VIGIL_ADMIN_KEY" -H 'Content-Type: application/json' \
    -d '{"name": "quickstart", "scopes": ["ingest", "read", "admin"]}')"
  VIGIL_KEY="$(printf '%s' "$created" | field key)"
  [ -n "$VIGIL_KEY" ] || fail "no key in the answer: $created"
  echo "created key $(printf '%s' "$created" | field id) (export VIGIL_KEY=$VIGIL_KEY to reuse it; shown only once)"
else
  echo "using VIGIL_KEY from the environment"
fi

step "2. Register the dataset $DATASET: key column, rules, drift policy (examples/dataset.json)"
api -X POST "$GATEWAY/api/datasets" -H 'Content-Type: application/json' --data-binary @"$examples/dataset.json" > "$OUT/dataset.json"
echo "registered: version $(field version < "$OUT/dataset.json")"

step "3. Submit a CSV batch with a few defects (examples/transactions.csv: 120 rows)"
receipt="$(api -X POST "$GATEWAY/api/datasets/$DATASET/batches?executionDate=2026-11-20" \
  -H 'Content-Type: text/csv' --data-binary @"$examples/transactions.csv")"
run="$(printf '%s' "$receipt" | field runId)"
[ -n "$run" ] || fail "no runId in the answer: $receipt"
echo "accepted: run $run"

step "4. Wait for the run: ingest -> validate -> score"
wait_for_run "$run"

step "5. What it found: rules, anomalies, reports"
api "$GATEWAY/api/runs/$run/reports/validation" > "$OUT/validation.json"
api "$GATEWAY/api/runs/$run/reports/defects" > "$OUT/defects.csv"
api "$GATEWAY/api/runs/$run/scores.csv" > "$OUT/scores.csv"
api "$GATEWAY/api/runs/$run/anomalies?limit=5" > "$OUT/anomalies.json"
echo "failing rows per rule are in $OUT/defects.csv ($(($(wc -l < "$OUT/defects.csv") - 1)) rows):"
head -n 6 "$OUT/defects.csv"
echo "anomalies (first 5): $(head -c 600 "$OUT/anomalies.json")"
echo "every row's risk and decision: $OUT/scores.csv; the validation summary: $OUT/validation.json"

step "6. Reconcile a source extract against what landed in the target (examples/reconciliation/)"
receipt="$(api -X POST "$GATEWAY/api/datasets/$DATASET/reconciliations?executionDate=2026-11-20" \
  -F source=@"$examples/reconciliation/source.csv" -F target=@"$examples/reconciliation/target.csv")"
reconciliation="$(printf '%s' "$receipt" | field runId)"
wait_for_run "$reconciliation"
api "$GATEWAY/api/runs/$reconciliation/reports/reconciliation" > "$OUT/reconciliation.csv"
echo "missing, unexpected, duplicate and changed records ($OUT/reconciliation.csv):"
head -n 8 "$OUT/reconciliation.csv"

step "7. Train an anomaly model on the first run's normal records (needs at least 50), then make it active"
model="$(api -X POST "$GATEWAY/api/datasets/$DATASET/models" -H 'Content-Type: application/json' -d "{\"runId\": \"$run\"}")"
version="$(printf '%s' "$model" | field version)"
[ -n "$version" ] || fail "no version in the answer: $model"
api -X POST "$GATEWAY/api/datasets/$DATASET/models/$version/promote" > /dev/null
echo "model version $version trained and promoted"

step "8. Submit the next day as NDJSON (examples/transactions-day2.ndjson); the active model scores it"
receipt="$(api -X POST "$GATEWAY/api/datasets/$DATASET/batches?executionDate=2026-11-21" \
  -H 'Content-Type: application/x-ndjson' --data-binary @"$examples/transactions-day2.ndjson")"
day2="$(printf '%s' "$receipt" | field runId)"
wait_for_run "$day2"
api "$GATEWAY/api/runs/$day2/anomalies?limit=5" > "$OUT/anomalies-day2.json"
echo "anomalies of day 2 (first 5): $(head -c 600 "$OUT/anomalies-day2.json")"

step "Done"
echo "runs: $run (batch), $reconciliation (reconciliation), $day2 (NDJSON, model v$version); reports in $OUT"
echo "next: the API reference at $GATEWAY/docs, and the runs in the dashboard (traces, logs) at http://127.0.0.1:18888"
