#!/usr/bin/env bash
# The test command of the README: set-up, formatting, then one build of every target of the
# workspace with clippy's lints as errors, then every test.
#
# The build runs through clippy-driver, as `cargo clippy --workspace --all-targets -- -D warnings`
# does, but it also makes the binaries: a separate `cargo clippy` checked all ~450 dependencies a
# second time (11 minutes cold on 2 cores). Only the workspace's crates go through the driver.
# `cargo test` builds the binaries the cross-process tests run, with the features of the tests:
# a separate `cargo build --bins` would build Slint and its dependents again with other features.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
start=$SECONDS
step() { echo "test.sh: $1 took $((SECONDS - start)) s" >&2; start=$SECONDS; }
cargo fmt --all --check
step "cargo fmt --check"
# One build from scratch gains nothing from incremental artefacts, which took about half of a
# fresh clone's 7.7 GB target folder; a developer's own CARGO_INCREMENTAL is kept.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# A full disk stops the build minutes in with "No space left on device" from some dependency:
# say at the start what is free, and stop at once when it cannot be enough (the debug build of
# the dependencies alone is more than 3 GB).
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"
free_gb=$(( $(df -Pk "$target" | awk 'NR==2 {print $4}') / 1024 / 1024 ))
echo "test.sh: ${free_gb} GB free for $target" >&2
if (( free_gb < 3 )); then
    echo "test.sh: not enough disk for the build: free some space on the disk of $target" >&2
    exit 1
fi
export RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
cargo test --workspace --all-targets --no-run
step "the build, with clippy -D warnings"
cargo test --workspace --no-fail-fast
step "the tests"
