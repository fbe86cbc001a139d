# Sourced by start.sh and test.sh: makes PostgreSQL and Redis reachable and exports
# DATABASE_URL and REDIS_URL. Order: the URLs already set; else local servers on the default
# ports (started with the machine's own commands if installed but stopped); else
# `docker compose up -d` of the two services; else a message saying what is missing.

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() {
  local host=$1 port=$2 i
  for i in $(seq 1 60); do port_open "$host" "$port" && return 0; sleep 0.5; done
  return 1
}

url_host() { node -e 'const u=new URL(process.argv[1]);console.log(u.hostname||"127.0.0.1")' "$1"; }
url_port() { node -e 'const u=new URL(process.argv[1]);console.log(u.port||process.argv[2])' "$1" "$2"; }

ensure_services() {
  local pg_ok=0 redis_ok=0
  if [ -n "${DATABASE_URL:-}" ]; then
    wait_port "$(url_host "$DATABASE_URL")" "$(url_port "$DATABASE_URL" 5432)" && pg_ok=1
  else
    if ! port_open 127.0.0.1 5432 && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >/dev/null 2>&1 || true
      wait_port 127.0.0.1 5432 || true
    fi
    port_open 127.0.0.1 5432 && pg_ok=1
  fi
  if [ -n "${REDIS_URL:-}" ]; then
    wait_port "$(url_host "$REDIS_URL")" "$(url_port "$REDIS_URL" 6379)" && redis_ok=1
  else
    if ! port_open 127.0.0.1 6379 && command -v redis-server >/dev/null 2>&1; then
      redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 || true
      wait_port 127.0.0.1 6379 || true
    fi
    port_open 127.0.0.1 6379 && redis_ok=1
  fi

  if { [ $pg_ok = 0 ] || [ $redis_ok = 0 ]; } && [ -z "${DATABASE_URL:-}${REDIS_URL:-}" ] \
     && command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo "Starting PostgreSQL and Redis with docker compose..."
    docker compose up -d --wait postgres redis
    export DATABASE_URL="postgres://duban:duban@127.0.0.1:5432/duban"
    wait_port 127.0.0.1 5432 && pg_ok=1
    wait_port 127.0.0.1 6379 && redis_ok=1
  fi

  if [ $pg_ok = 0 ] || [ $redis_ok = 0 ]; then
    {
      echo "Duban needs PostgreSQL 15+ and Redis 7+, and cannot reach:"
      [ $pg_ok = 0 ] && echo "  - PostgreSQL at ${DATABASE_URL:-127.0.0.1:5432}"
      [ $redis_ok = 0 ] && echo "  - Redis at ${REDIS_URL:-127.0.0.1:6379}"
      echo "Either set DATABASE_URL / REDIS_URL to running servers, install them locally"
      echo "(Debian/Ubuntu: apt-get install postgresql redis-server), or install Docker"
      echo "so that 'docker compose up -d postgres redis' can run them."
    } >&2
    return 1
  fi
  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/duban}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
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
