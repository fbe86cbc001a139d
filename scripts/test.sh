#!/usr/bin/env bash
# The whole test suite: installs what is missing, makes PostgreSQL and Redis available, builds,
# runs unit and e2e tests (on Redis queues, then the suites of BOTH_BACKENDS again on PostgreSQL
# queues), and prints "N passed, N failed, N skipped" for both runs as its last line (skipped
# counts Jest's pending tests, it.skip and the like, and its it.todo tests: a skipped test proves nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

ensure_deps
ensure_browser
# Tests create and drop their own databases; they need a server, not the demo database.
ensure_services
export TEST_ADMIN_DATABASE_URL="${TEST_ADMIN_DATABASE_URL:-$(node -e 'const u=new URL(process.argv[1]);u.pathname="/postgres";console.log(u.toString())' "$DATABASE_URL")}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-$REDIS_URL}"

# The suites that must hold on both queue backends (issue 20): timers, notices, e-mail, webhooks
# and the faults (a worker killed mid-burst, the queue store losing its jobs, the relay replay).
# The whole run uses QUEUE_BACKEND=redis; these run a second time with QUEUE_BACKEND=postgres.
BOTH_BACKENDS=(
  test/timers.e2e-spec.ts test/timer-faults.e2e-spec.ts test/timer-replan.e2e-spec.ts test/stale-timers.e2e-spec.ts
  test/redis-loss.e2e-spec.ts test/mail.e2e-spec.ts test/action-notices.e2e-spec.ts
  test/webhook-targets.e2e-spec.ts test/webhook-test-delivery.e2e-spec.ts
)

results=$(mktemp)
results_pg=$(mktemp)
trap 'rm -f "$results" "$results_pg"' EXIT
status=0
# The build compiles the apps; typecheck also covers the tests, which ts-jest only transpiles.
if npm run build && npm run typecheck; then
  QUEUE_BACKEND=redis node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --json --outputFile="$results" "$@" || status=$?
  # A run of chosen tests ("$@") stays that; the whole run adds the suites above on PostgreSQL queues.
  if [ $# -eq 0 ]; then
    started=$SECONDS
    QUEUE_BACKEND=postgres node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --json --outputFile="$results_pg" "${BOTH_BACKENDS[@]}" || status=$?
    echo "queue backend postgres: ${#BOTH_BACKENDS[@]} suites in $((SECONDS - started)) s" >&2
    [ -s "$results_pg" ] || echo '{"numPassedTests":0,"numFailedTests":1}' >"$results_pg"
  fi
else
  status=1
  echo '{"numPassedTests":0,"numFailedTests":1}' >"$results"
  echo "build or typecheck failed" >&2
fi
[ -s "$results" ] || echo '{"numPassedTests":0,"numFailedTests":1}' >"$results"
# One line for the whole run: both jest runs' counts added up.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of process.argv.slice(1)) {
    if (fs.statSync(file).size === 0) continue;
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
    skipped += (r.numPendingTests || 0) + (r.numTodoTests || 0);
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results" "$results_pg"
exit $status
