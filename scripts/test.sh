#!/usr/bin/env bash
# The test command of the README: set-up, then every test of the workspace. `cargo test` builds
# the binaries the cross-process tests run (those of every package with integration tests), with
# the same features as the tests: a separate `cargo build --bins` first would build Slint and its
# dependents a second time with another feature set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo test --workspace --no-fail-fast
