#!/usr/bin/env bash
# The test command of the README: set-up, then every test of the workspace, then the lint gate.
# `cargo test` builds the binaries the cross-process tests run (those of every package with
# integration tests), with the same features as the tests: a separate `cargo build --bins` first
# would build Slint and its dependents a second time with another feature set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
start=$SECONDS
step() { echo "test.sh: $1 took $((SECONDS - start)) s" >&2; start=$SECONDS; }
cargo fmt --all --check
step "cargo fmt --check"
status=0
cargo test --workspace --no-fail-fast || status=$?
step "cargo test"
cargo clippy --workspace --all-targets --quiet -- -D warnings || status=$?
step "cargo clippy"
exit $status
