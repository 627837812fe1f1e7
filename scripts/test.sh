#!/usr/bin/env bash
# The test command of the README: set-up, build every binary (the cross-process tests run the
# real ones), then every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --workspace --bins
cargo test --workspace --no-fail-fast
