#!/usr/bin/env bash
# The appliance on one machine, as in the demo: the kiosk (queue authority, touch UI when a
# display is available, simulated printer writing tickets to run/printer/) and the display
# controller, on the embedded defaults: SQLite in run/, bundled fonts and sounds, assets/demo.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release --bins
mkdir -p run/printer run/display/calls
# The staff console's demo accounts, written into the store before the server holds it (left
# as they are when they exist). Demo passwords: change them in a real centre.
echo demo-admin-pass | ./target/release/kiosk account add --config assets/demo.toml \
  --login admin --name "Quản trị viên" --role admin --password-stdin --if-missing
echo demo-staff-pass | ./target/release/kiosk account add --config assets/demo.toml \
  --login lan --name "Nguyễn Thị Lan" --role staff --counters 1,2 --password-stdin --if-missing
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
# The stand-in for the province's one-stop system: the kiosk's dossier lookup ([kiosk.dossier]
# in assets/demo.toml) and the display's results board read it.
./target/release/onestop-demo --listen 127.0.0.1:8090 &
pids+=($!)
./target/release/kiosk --config assets/demo.toml &
pids+=($!)
if [ -f assets/display-demo.toml ]; then
  ./target/release/display --config assets/display-demo.toml &
  pids+=($!)
fi
cat <<'TXT'

The queue authority listens on http://127.0.0.1:8080 (OpenAPI: /api/v1/openapi.json).
Staff console: http://127.0.0.1:8080/console/  (admin / demo-admin-pass; lan / demo-staff-pass,
counters 1 and 2). Counter 1's rating tablet:
  http://127.0.0.1:8080/console/rate.html#counter=1&token=demo-counter1-token-change-me
Try, in another terminal:
  export KIOSK_TOKEN=demo-counter-token-change-me
  ./target/release/kiosk issue civil          # take a number
  ./target/release/kiosk call-next 1          # call it at counter 1
  ./target/release/kiosk watch                # follow the events
Printed tickets appear in run/printer/. The display's boards open full screen when a display
server is there; their pictures are also in run/display/ (hall.png, results.png, counter-1.png),
with the spoken calls in run/display/calls/. Counter 1's keypad is simulated here:
  echo next > run/display/keypad-1            # press "next" (recall, no_show, finish)
Dossiers to look up: http://127.0.0.1:8090/dossiers?status=ready (e.g. 000.00.06.H56-231027-0361).
Ctrl-C stops everything.
TXT
wait -n "${pids[@]}"
