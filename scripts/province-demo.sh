#!/usr/bin/env bash
# The province hub on this machine: a PostgreSQL cluster of its own in run/province/pg (port
# 5433, 127.0.0.1 only, as the postgres user when run as root: PostgreSQL refuses root), the
# hub migrated and serving assets/hub.toml on http://127.0.0.1:8070. A centre joins it with the
# [uplink] table at the end of assets/demo.toml (uncomment it, then run scripts/demo.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release --bin hub
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir="$PWD/run/province"
mkdir -p "$dir"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$dir/pg/PG_VERSION" ]; then
  mkdir -p "$dir/pg" "$dir/sock" "$dir/log"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir/pg" "$dir/sock" "$dir/log"
  as_pg "$bin/initdb" -D "$dir/pg" -U hub --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi
as_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/log/postgresql.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=5433 -c unix_socket_directories=$dir/sock" start >/dev/null
stop() { as_pg "$bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true; }
trap stop EXIT INT TERM
as_pg "$bin/psql" -h 127.0.0.1 -p 5433 -U hub -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'hub'" | grep -q 1 ||
  as_pg "$bin/createdb" -h 127.0.0.1 -p 5433 -U hub hub
./target/release/hub migrate --config assets/hub.toml
cat <<'TXT'

The province hub listens on http://127.0.0.1:8070. Dashboard: http://127.0.0.1:8070/province/
(so-noi-vu / demo-password). Report: curl -H 'Authorization: Bearer demo-province-token-0001' \
  'http://127.0.0.1:8070/api/v1/province/report?from=2026-01-01&to=2026-12-31'
A centre joins with the [uplink] table at the end of assets/demo.toml (uncomment it).
Ctrl-C stops the hub and its database.
TXT
./target/release/hub serve --config assets/hub.toml
