# Sourced by the web UI benchmarks (bench/webui-vs-openqa.sh, bench/webui-assign.sh): the set-up both need to
# run Needlework's web UI and Debian's openQA side by side on 127.0.0.1. Needs root: PostgreSQL runs as postgres.
# After sourcing: $tmp (removed on exit), $pg and $oq (where PostgreSQL and openQA live), pids (process groups
# stopped on exit), and the functions below.

# The peer is only needed by these benchmarks, not by the tests or the demo: installed on first use.
if ! dpkg-query -W -f='${Status}' openqa 2>/dev/null | grep -q "install ok installed"; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openqa
fi
tmp=$(mktemp -d)
chown postgres:postgres "$tmp"
pg=/usr/lib/postgresql/15/bin
oq=/usr/share/openqa
pids=()
stop() { kill -- "-$1" 2>/dev/null || kill "$1" 2>/dev/null || true; }
cleanup() {
  for p in "${pids[@]}"; do stop "$p"; done
  runuser -u postgres -- "$pg/pg_ctl" -D "$tmp/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
# waitfor PORT [PATH]: until http://127.0.0.1:PORT/PATH answers (60 s at most).
waitfor() {
  local path=${2:-/api/v1/jobs?limit=1}
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$1$path" >/dev/null && return 0; sleep 0.5; done
  echo "server on port $1 did not start" >&2
  return 1
}

# Needlework's web UI on SQLite in $tmp/nw, with an API key: sets nwport, nwkey, nwsecret. Built by the caller.
start_needlework() {
  local nw="dotnet src/Needlework.Cli/bin/Release/net10.0/needlework.dll" keyout
  mkdir -p "$tmp/nw"
  keyout=$($nw admin create-key --user bench --data "$tmp/nw")
  nwkey=$(awk '/^key:/{print $2}' <<<"$keyout")
  nwsecret=$(awk '/^secret:/{print $2}' <<<"$keyout")
  nwport=$(freeport)
  setsid $nw webui --data "$tmp/nw" --urls "http://127.0.0.1:$nwport" >"$tmp/nw.log" 2>&1 &
  pids+=($!)
}

# openQA's database: a private PostgreSQL 15, openQA's configuration in $tmp, the schema deployed and an admin
# API key (oqkey, oqsecret). The daemons are the caller's; they find the configuration in the environment.
deploy_openqa() {
  local pgport
  pgport=$(freeport)
  runuser -u postgres -- "$pg/initdb" -D "$tmp/pg" -A trust -U postgres --no-sync >/dev/null
  runuser -u postgres -- "$pg/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w -o "-h 127.0.0.1 -p $pgport -k $tmp" start >/dev/null
  "$pg/createdb" -h 127.0.0.1 -p "$pgport" -U postgres openqa
  mkdir -p "$tmp/etc" "$tmp/base/openqa/db" "$tmp/base/openqa/share/factory" "$tmp/base/openqa/testresults"
  printf '[production]\ndsn = DBI:Pg:dbname=openqa;host=127.0.0.1;port=%s\nuser = postgres\n' "$pgport" > "$tmp/etc/database.ini"
  printf '[auth]\nmethod = Fake\n[logging]\nlevel = warn\n' > "$tmp/etc/openqa.ini"
  export OPENQA_CONFIG="$tmp/etc" OPENQA_BASEDIR="$tmp/base"
  "$oq/script/initdb" --init_database >/dev/null
  oqkey=0123456789ABCDEF
  oqsecret=FEDCBA9876543210
  "$oq/script/create_admin" --key "$oqkey" --secret "$oqsecret" bench 2>/dev/null || true
}
