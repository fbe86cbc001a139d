# Sourced by start.sh and test.sh: makes PostgreSQL (and Redis, where there is or must be one)
# reachable and exports DATABASE_URL and REDIS_URL. Order: the URLs already set; else local
# servers on the default ports (started with the machine's own commands if installed but
# stopped); else `docker compose up -d` of the two services; else, for start.sh, an embedded
# PostgreSQL; else a message saying what is missing.

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() {
  local host=$1 port=$2 i
  for i in $(seq 1 60); do port_open "$host" "$port" && return 0; sleep 0.5; done
  return 1
}

url_host() { node -e 'const u=new URL(process.argv[1]);console.log(u.hostname||"127.0.0.1")' "$1"; }
url_port() { node -e 'const u=new URL(process.argv[1]);console.log(u.port||process.argv[2])' "$1" "$2"; }

# ensure_services [--bare-ok]
# Without options (scripts/test.sh, CI) both PostgreSQL and Redis are required. With --bare-ok
# (scripts/start.sh) Redis is optional (everything then runs on PostgreSQL), and when no PostgreSQL
# answers either, an embedded one from the embedded-postgres package starts with its data in
# .run/pgdata (scripts/embedded-pg.mjs). Exports DATABASE_URL, REDIS_URL when there is one, and
# DUBAN_DATABASE_KIND (where PostgreSQL came from, for start.sh's message).
# The probes look at 127.0.0.1:${PGPORT:-5432} and 127.0.0.1:${REDIS_PORT:-6379};
# DUBAN_START_LOCAL=0 only probes: installed servers and Docker are not started (the bare-machine
# check uses both to hide this machine's servers).
ensure_services() {
  local bare_ok=0 pg_ok=0 redis_ok=0
  [ "${1:-}" = --bare-ok ] && bare_ok=1
  local pg_port="${PGPORT:-5432}" redis_port="${REDIS_PORT:-6379}" start_local="${DUBAN_START_LOCAL:-1}"
  DUBAN_DATABASE_KIND="DATABASE_URL"
  if [ -n "${DATABASE_URL:-}" ]; then
    wait_port "$(url_host "$DATABASE_URL")" "$(url_port "$DATABASE_URL" 5432)" && pg_ok=1
  else
    if [ "$start_local" != 0 ] && ! port_open 127.0.0.1 "$pg_port" && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >/dev/null 2>&1 || true
      wait_port 127.0.0.1 "$pg_port" || true
    fi
    port_open 127.0.0.1 "$pg_port" && pg_ok=1 && DUBAN_DATABASE_KIND="local server"
  fi
  if [ -n "${REDIS_URL:-}" ]; then
    wait_port "$(url_host "$REDIS_URL")" "$(url_port "$REDIS_URL" 6379)" && redis_ok=1
  else
    if [ "$start_local" != 0 ] && ! port_open 127.0.0.1 "$redis_port" && command -v redis-server >/dev/null 2>&1; then
      redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no >/dev/null 2>&1 || true
      wait_port 127.0.0.1 "$redis_port" || true
    fi
    port_open 127.0.0.1 "$redis_port" && redis_ok=1
  fi

  # Docker when something required is missing; in --bare-ok mode only PostgreSQL is required.
  local missing=0
  if [ $bare_ok = 1 ]; then [ $pg_ok = 0 ] && missing=1; else { [ $pg_ok = 0 ] || [ $redis_ok = 0 ]; } && missing=1; fi
  if [ $missing = 1 ] && [ "$start_local" != 0 ] && [ -z "${DATABASE_URL:-}${REDIS_URL:-}" ] \
     && command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo "Starting PostgreSQL and Redis with docker compose..."
    docker compose up -d --wait postgres redis
    export DATABASE_URL="postgres://duban:duban@127.0.0.1:5432/duban"
    DUBAN_DATABASE_KIND="docker compose"
    wait_port 127.0.0.1 5432 && pg_ok=1
    wait_port 127.0.0.1 6379 && redis_ok=1 && redis_port=6379
  fi

  if [ $bare_ok = 1 ] && [ $pg_ok = 0 ] && [ -z "${DATABASE_URL:-}" ]; then
    echo "No PostgreSQL answers at 127.0.0.1:$pg_port: starting the embedded PostgreSQL (data in .run/pgdata)..."
    DATABASE_URL=$(node scripts/embedded-pg.mjs start .run) || return 1
    export DATABASE_URL
    DUBAN_DATABASE_KIND="embedded (.run/pgdata)"
    pg_ok=1
  fi

  # A REDIS_URL given is required even with --bare-ok: running without the Redis asked for would hide a fault.
  if [ $pg_ok = 0 ] || { [ $redis_ok = 0 ] && { [ $bare_ok = 0 ] || [ -n "${REDIS_URL:-}" ]; }; }; then
    {
      if [ $bare_ok = 1 ]; then echo "Duban needs PostgreSQL 15+ (and the Redis 7+ REDIS_URL names, if set), and cannot reach:"; else echo "Duban's tests need PostgreSQL 15+ and Redis 7+, and cannot reach:"; fi
      [ $pg_ok = 0 ] && echo "  - PostgreSQL at ${DATABASE_URL:-127.0.0.1:$pg_port}"
      [ $redis_ok = 0 ] && { [ $bare_ok = 0 ] || [ -n "${REDIS_URL:-}" ]; } && echo "  - Redis at ${REDIS_URL:-127.0.0.1:$redis_port}"
      echo "Either set DATABASE_URL / REDIS_URL to running servers, install them locally"
      echo "(Debian/Ubuntu: apt-get install postgresql redis-server), or install Docker"
      echo "so that 'docker compose up -d postgres redis' can run them."
    } >&2
    return 1
  fi
  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:$pg_port/duban}"
  if [ $redis_ok = 1 ]; then export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$redis_port}"; else unset REDIS_URL; fi
  export DUBAN_DATABASE_KIND
}

# Installs dependencies unless node_modules already matches package-lock.json.
ensure_deps() {
  if [ "${DUBAN_SKIP_INSTALL:-}" = 1 ]; then return 0; fi
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

# The console's browser tests (test/ui) drive Debian's chromium, with CJK fonts for the screenshots.
# Installed with apt when missing (as root, or through sudo without a password).
ensure_browser() {
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then return 0; fi
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo" ] || $sudo true 2>/dev/null; }; then
    echo "Installing chromium and fonts-noto-cjk for the browser tests..."
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk
  else
    {
      echo "The browser tests (test/ui) need chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}, and apt-get cannot install it here."
      echo "Install chromium and fonts-noto-cjk (Debian/Ubuntu: apt-get install chromium fonts-noto-cjk),"
      echo "or set CHROMIUM_PATH to a Chromium binary. They will fail until then."
    } >&2
  fi
}
