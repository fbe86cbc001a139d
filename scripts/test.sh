#!/usr/bin/env bash
# The whole test suite: installs what is missing, makes PostgreSQL and Redis available, builds,
# runs unit and e2e tests, and prints "N passed, N failed, N skipped" as its last line (skipped
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

results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
# The build compiles the apps; typecheck also covers the tests, which ts-jest only transpiles.
if npm run build && npm run typecheck; then
  node --experimental-vm-modules node_modules/jest/bin/jest.js --ci --json --outputFile="$results" "$@" || status=$?
else
  status=1
  echo '{"numPassedTests":0,"numFailedTests":1}' >"$results"
  echo "build or typecheck failed" >&2
fi
[ -s "$results" ] || echo '{"numPassedTests":0,"numFailedTests":1}' >"$results"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  console.log(`${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
' "$results"
exit $status
