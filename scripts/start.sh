#!/usr/bin/env bash
# Fresh clone to running Duban: installs dependencies, makes PostgreSQL available (and uses Redis
# when there is one; an embedded PostgreSQL in .run/pgdata when there is no PostgreSQL either),
# builds, migrates, seeds the demo, and starts the api and the worker in the background.
# `bash scripts/start.sh stop` stops them again, and the embedded PostgreSQL if it runs.
# What it used goes to .run/env (DATABASE_URL, REDIS_URL, QUEUE_BACKEND and the demo secrets):
# `set -a; . .run/env; set +a` before running `npm run audit:verify` or the like by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
mkdir -p .run

stop_apps() {
  local name pid
  for name in api worker; do
    if [ -f ".run/$name.pid" ]; then
      pid=$(cat ".run/$name.pid")
      if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      fi
      rm -f ".run/$name.pid"
    fi
  done
}

if [ "${1:-}" = stop ]; then
  stop_apps
  if [ -f .run/pgdata/PG_VERSION ]; then node scripts/embedded-pg.mjs stop .run; fi
  echo "Duban stopped."
  exit 0
fi

ensure_deps
ensure_services --bare-ok
# A step that fails from here on leaves nothing of this run behind: the api and worker it started
# and the embedded PostgreSQL (whose data stays in .run/pgdata for the next run).
trap 'status=$?; echo "start.sh failed (exit $status): stopping what it started" >&2; stop_apps; if [ -f .run/pgdata/PG_VERSION ]; then node scripts/embedded-pg.mjs stop .run || true; fi; exit $status' ERR

# Secrets of this checkout, made once and kept in .run/env (git-ignored).
if [ ! -f .run/env ]; then
  umask 077
  {
    echo "JWT_SECRET=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')"
    echo "DEMO_PASSWORD=${DEMO_PASSWORD:-demo-$(node -e 'console.log(require("crypto").randomBytes(4).toString("hex"))')}"
  } >.run/env
fi
# What this run uses, replacing the last run's lines, so commands run by hand reach the same services.
queue_backend="${QUEUE_BACKEND:-$([ -n "${REDIS_URL:-}" ] && echo redis || echo postgres)}"
(
  umask 077
  {
    grep -v -E '^(DATABASE_URL|REDIS_URL|QUEUE_BACKEND)=' .run/env || true
    echo "DATABASE_URL=$DATABASE_URL"
    if [ -n "${REDIS_URL:-}" ]; then echo "REDIS_URL=$REDIS_URL"; fi
    echo "QUEUE_BACKEND=$queue_backend"
  } >.run/env.next
)
mv .run/env.next .run/env
if [ -n "${REDIS_URL:-}" ]; then redis_note="REDIS_URL=$REDIS_URL"; else redis_note="no Redis: queues, login limits and live notices run on PostgreSQL"; fi
set -a
source .run/env
set +a
export PORT="${PORT:-3000}" WORKER_PORT="${WORKER_PORT:-3001}" QUEUE_PREFIX="${QUEUE_PREFIX:-duban}"

# The database named in DATABASE_URL is created when the server has none of that name.
node -e '
  const pg = require("pg");
  const target = new URL(process.argv[1]);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(target); admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  c.connect()
    .then(() => c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]))
    .then((r) => r.rowCount ? null : c.query(`CREATE DATABASE "${name.replace(/"/g, "\"\"")}"`).then(() => console.log(`created database ${name}`)))
    .then(() => c.end(), (e) => { console.error(`cannot prepare database ${name}: ${e.message}`); process.exit(1); });
' "$DATABASE_URL"

npm run --silent build
npm run --silent migrate
npm run --silent seed:demo

stop_apps
nohup node "$PWD/dist/apps/api/src/main.js" >.run/api.log 2>&1 &
echo $! >.run/api.pid
nohup node "$PWD/dist/apps/worker/src/main.js" >.run/worker.log 2>&1 &
echo $! >.run/worker.pid

wait_healthy() {
  local name=$1 url=$2
  for _ in $(seq 1 120); do
    if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"; then return 0; fi
    if ! kill -0 "$(cat ".run/$name.pid")" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "The $name did not become healthy; the end of .run/$name.log:" >&2
  tail -n 20 ".run/$name.log" >&2
  return 1
}
wait_healthy api "http://127.0.0.1:$PORT/api/v1/health"
wait_healthy worker "http://127.0.0.1:$WORKER_PORT/health"

cat <<MSG

控制台 http://127.0.0.1:$PORT/
  登录 zsj-lead（部门负责人）、wjq-handler（经办人）、supervisor（督查室）、admin（系统管理员），密码均为 $DEMO_PASSWORD

Duban is running.
  API         http://127.0.0.1:$PORT/api/v1   (health: /api/v1/health)
  API docs    http://127.0.0.1:$PORT/api/docs
  Metrics     http://127.0.0.1:$PORT/metrics, worker http://127.0.0.1:$WORKER_PORT/metrics
  Demo login  admin / $DEMO_PASSWORD   (the console, or POST /api/v1/auth/login)
              supervisor (督查室), and per department <code>-lead and <code>-handler, e.g.
              zsj-lead (市政务服务数据管理局), wjq-handler (武江区人民政府): all with $DEMO_PASSWORD
  Demo data   the 2023 plan of seed 004 (GET /api/v1/plans) and hotline tickets in every state
  Database    $DUBAN_DATABASE_KIND: DATABASE_URL=$DATABASE_URL
  Queues      QUEUE_BACKEND=$queue_backend ($redis_note)
  By hand     set -a; . .run/env; set +a; npm run audit:verify   (.run/env holds the lines above)
  Logs        .run/api.log, .run/worker.log
  Stop        bash scripts/start.sh stop
MSG
