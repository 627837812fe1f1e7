#!/usr/bin/env bash
# Installs what building and testing the project needs on a fresh Debian machine, only what is
# missing. Sourced by demo.sh and test.sh; safe to run again.
set -euo pipefail

# Debian packages the crates need at build time (Slint: fontconfig; voice output: ALSA), the
# kiosk's spoken guidance (espeak-ng, and aplay of alsa-utils), and the
# tools the tests drive (Xvfb and xdotool for the real kiosk window; the X libraries winit loads
# at run time; headless Chromium and its WebDriver for the staff console's pages, with a font
# that has every Vietnamese letter; certutil to make Chromium trust the centre's CA; iproute2 for
# the centre's LAN of network namespaces; for scripts/package.sh and its test, dpkg-deb,
# dpkg-shlibdeps and strip, and systemd-analyze to verify the units: systemd need not run).
PACKAGES=(pkg-config libfontconfig1-dev libasound2-dev alsa-utils espeak-ng xvfb xauth xdotool
  libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0 chromium chromium-driver fonts-dejavu-core libnss3-tools iproute2
  dpkg-dev binutils systemd)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The province hub's tests start a private PostgreSQL server; any installed major version serves.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  # Debian's own cargo is too old for these crates; rustup is the supported way.
  echo "setup: cargo is missing: install Rust 1.92 or newer with rustup (https://rustup.rs), then run this again" >&2
  exit 1
fi
# The test command checks formatting and lints too.
for c in fmt clippy; do
  if ! cargo "$c" --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null 2>&1; then
      rustup component add "$( [ "$c" = fmt ] && echo rustfmt || echo clippy )"
    else
      echo "setup: cargo $c is missing: install the rustfmt and clippy components" >&2
      exit 1
    fi
  fi
done
# Slint 1.18 needs 1.92: say so now rather than after minutes of building.
rust_minor=$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')
if [ "$rust_minor" -lt 92 ]; then
  echo "setup: $(rustc --version) is too old: Rust 1.92 or newer is needed (rustup update stable)" >&2
  exit 1
fi
