# Shared by scripts/*: install what Fenestra's tests and demo need on a Debian/Ubuntu machine.
# Each function is idempotent and quiet when the thing is already there.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing ${missing[*]} (apt)" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_rust() {
  if ! command -v cargo >/dev/null; then
    echo "cargo is missing: install Rust from your distribution or rustup first" >&2
    return 1
  fi
}

# rustfmt and clippy, for the guard rails; from rustup when Rust came from it.
ensure_rust_tools() {
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null; then
      rustup component add rustfmt clippy
    else
      echo "cargo fmt and cargo clippy are missing: install rustfmt and clippy (rustup component add rustfmt clippy)" >&2
      return 1
    fi
  fi
}

# The newest installed PostgreSQL server's bin dir, installing Debian's server if none is there.
pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    apt_install postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  echo "$dir"
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# Starts a throwaway PostgreSQL cluster in a new temp dir on a free port.
# Sets PG_TMP_DIR, PG_TMP_URL (superuser `fenestra`, database `postgres`) and PG_TMP_STOP.
# $1: "fast" turns fsync off (tests); anything else keeps it on (benchmarks).
start_tmp_postgres() {
  local mode=${1:-fast} bindir port dir runas=()
  bindir=$(pg_bindir)
  port=$(free_port)
  dir=$(mktemp -d /tmp/fenestra-pg.XXXXXX)
  # initdb refuses to run as root: use the postgres system user the Debian package creates.
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    chown postgres "$dir"
    runas=(runuser -u postgres --)
  fi
  "${runas[@]}" "$bindir/initdb" -D "$dir/data" -U fenestra --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  local opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200"
  [ "$mode" = fast ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  "${runas[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w start >/dev/null \
    || { cat "$dir/server.log" >&2; return 1; }
  PG_TMP_DIR=$dir
  PG_TMP_URL="postgres://fenestra@127.0.0.1:$port/postgres"
  PG_TMP_STOP="${runas[*]} $bindir/pg_ctl -D $dir/data -m immediate stop"
}

stop_tmp_postgres() {
  [ -n "${PG_TMP_STOP:-}" ] && $PG_TMP_STOP >/dev/null 2>&1 || true
  [ -n "${PG_TMP_DIR:-}" ] && rm -rf "$PG_TMP_DIR"
  PG_TMP_STOP=
}
