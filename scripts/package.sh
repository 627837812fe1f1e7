#!/usr/bin/env bash
# Builds the Debian packages of the appliance into target/debian/ (or --out DIR):
#   motcua-kiosk    kiosk (touch UI + queue authority + printer; `kiosk serve` alone), the units
#                   motcua-kiosk (X session on tty1), motcua-authority (headless), the daily
#                   motcua-backup timer; /etc/motcua/kiosk.toml, backup.env; the catalogue
#   motcua-display  display (boards, counter screens, voice, keypads), the units motcua-display
#                   (X session on tty1) and motcua-display-headless; /etc/motcua/display.toml;
#                   the voice clips
#   motcua-hub      hub (the province server), the unit motcua-hub; /etc/motcua/hub.toml
#
#   bash scripts/package.sh                      # release build for this machine (amd64), then packages
#   bash scripts/package.sh --target aarch64-unknown-linux-gnu --no-build
#                                                # arm64, from binaries built for it already
#   bash scripts/package.sh --profile debug --no-build   # the debug binaries as they are
#   bash scripts/package.sh --bin-dir DIR        # the binaries of DIR as they are
#   ... --fast                                   # zstd instead of xz: 50 times faster, a third larger
#
# Staged trees packed with `dpkg-deb --build`, not cargo-deb: three packages from one workspace
# share their maintainer scripts, user and folders, which cargo-deb would spread over three
# crates' metadata; this packs any binaries already built (any profile, any target) without a
# cargo rebuild; and it needs nothing that is not in Debian (cargo-deb takes minutes to compile
# on 2 cores). The configuration shipped in /etc/motcua is the demo's (assets/), with the
# installed paths: conffiles, to be edited for a centre.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
target="" profile=release build=1 bin_dir="" out="" compress=(-Zxz)
while [ $# -gt 0 ]; do
  case $1 in
    --target) target=${2:?}; shift 2 ;;
    --profile) profile=${2:?}; shift 2 ;;
    --no-build) build=0; shift ;;
    --bin-dir) bin_dir=${2:?}; build=0; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --fast) compress=(-Zzstd); shift ;;
    -h | --help) usage ;;
    *) echo "package.sh: unknown argument $1" >&2; usage ;;
  esac
done

host=$(rustc -vV | sed -n 's/^host: //p')
target=${target:-$host}
case $target in
  x86_64-unknown-linux-gnu) arch=amd64 strip=strip binutils=binutils ;;
  aarch64-unknown-linux-gnu) arch=arm64 strip=aarch64-linux-gnu-strip binutils=binutils-aarch64-linux-gnu ;;
  *) echo "package.sh: no Debian architecture known for $target" >&2; exit 2 ;;
esac
case $profile in
  release) cargo_profile=release dir_profile=release ;;
  debug | dev) cargo_profile=dev dir_profile=debug ;;
  *) echo "package.sh: --profile release or debug, not $profile" >&2; exit 2 ;;
esac
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
out=${out:-$target_dir/debian}
if [ -z "$bin_dir" ]; then
  bin_dir=$target_dir/$dir_profile
  [ "$target" = "$host" ] || bin_dir=$target_dir/$target/$dir_profile
fi
command -v dpkg-deb >/dev/null || { echo "package.sh: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 1; }
command -v "$strip" >/dev/null || { echo "package.sh: $strip is missing (apt-get install $binutils)" >&2; exit 1; }

if [ "$build" = 1 ]; then
  target_arg=()
  [ "$target" = "$host" ] || target_arg=(--target "$target")
  cargo build --profile "$cargo_profile" "${target_arg[@]}" -p kiosk -p display -p hub --bin kiosk --bin display --bin hub
fi
for b in kiosk display hub; do
  [ -x "$bin_dir/$b" ] || { echo "package.sh: $bin_dir/$b is missing: build it first (or drop --no-build)" >&2; exit 1; }
done

version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
[ -n "$version" ] || { echo "package.sh: no version in Cargo.toml's [workspace.package]" >&2; exit 1; }
stage=$out/stage
rm -rf "$stage"
mkdir -p "$out"

# --- helpers -------------------------------------------------------------------------------
file() { install -D -m "${3:-0644}" "$1" "$root$2"; }
# A demo configuration with the installed paths. Each rewrite must match (a changed demo file
# fails here, not on a kiosk), and no path relative to the configuration's folder may remain.
config() { # config SRC DEST SED-EXPR...
  local src=$1 dest=$2 expr
  shift 2
  install -d -m 0755 "$(dirname "$root$dest")"
  {
    echo "# Installed by the Một cửa packages: the demo configuration ($src) with the installed"
    echo "# paths. Change every token (and the PIN hash) for a real centre; see README.md."
    cat "$src"
  } >"$root$dest"
  for expr in "$@"; do
    grep -q "$(echo "$expr" | sed 's#^s|\([^|]*\)|.*#\1#')" "$root$dest" || {
      echo "package.sh: $src no longer has what '$expr' rewrites" >&2
      exit 1
    }
    sed -i "$expr" "$root$dest"
  done
  if grep -nE '^[a-z_]+ *= *"\.\./' "$root$dest"; then
    echo "package.sh: $dest keeps a relative path (above)" >&2
    exit 1
  fi
  chmod 0644 "$root$dest"
}
# Depends: from the shared libraries the binaries link (dpkg-shlibdeps), for this machine's
# architecture; a cross build gets the list measured on amd64.
depends() { # depends BINARY FALLBACK
  if [ "$arch" = "$(dpkg --print-architecture)" ] && command -v dpkg-shlibdeps >/dev/null; then
    local tmp
    tmp=$(mktemp -d)
    mkdir "$tmp/debian"
    printf 'Source: motcua\n\nPackage: motcua\nArchitecture: any\n' >"$tmp/debian/control"
    (cd "$tmp" && dpkg-shlibdeps -O -e "$1" 2>/dev/null) | sed -n 's/^shlibs:Depends=//p'
    rm -rf "$tmp"
  else
    echo "$2"
  fi
}
package() { # package NAME DESCRIPTION DEPENDS RECOMMENDS GROUPS UNITS...
  local name=$1 description=$2 deps=$3 recommends=$4 groups=$5
  shift 5
  local units=$* configs size
  install -d -m 0755 "$root/DEBIAN" "$root/usr/share/doc/$name"
  install -m 0644 README.md "$root/usr/share/doc/$name/README.md"
  printf '%s\n' "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" "Upstream-Name: motcua" "" \
    "Files: *" "License: GPL-3.0-or-later" " On Debian systems the full text is in /usr/share/common-licenses/GPL-3." \
    " The Noto Sans fonts built into the binaries are under the SIL Open Font License 1.1." >"$root/usr/share/doc/$name/copyright"
  (cd "$root" && find etc -type f 2>/dev/null | sed 's#^#/#' | sort) >"$root/DEBIAN/conffiles"
  [ -s "$root/DEBIAN/conffiles" ] || rm "$root/DEBIAN/conffiles"
  configs=$(grep '^/etc/motcua/' "$root/DEBIAN/conffiles" | tr '\n' ' ' || true)
  for s in postinst prerm postrm; do
    sed -e "s#@PACKAGE@#$name#g" -e "s#@GROUPS@#$groups#g" -e "s#@UNITS@#$units#g" -e "s#@CONFIGS@#$configs#g" \
      packaging/deb/$s >"$root/DEBIAN/$s"
    chmod 0755 "$root/DEBIAN/$s"
  done
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  {
    echo "Package: $name"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: Một cửa developers <motcua@localhost>"
    echo "Installed-Size: $size"
    echo "Depends: adduser, $deps"
    [ -z "$recommends" ] || echo "Recommends: $recommends"
    echo "Section: misc"
    echo "Priority: optional"
    echo "Description: $description"
  } >"$root/DEBIAN/control"
  dpkg-deb --root-owner-group "${compress[@]}" --build "$root" "$out/${name}_${version}_${arch}.deb" >/dev/null
  echo "package.sh: $out/${name}_${version}_${arch}.deb ($(du -h "$out/${name}_${version}_${arch}.deb" | cut -f1))" >&2
}
binary() { # binary NAME
  install -d -m 0755 "$root/usr/bin"
  "$strip" -o "$root/usr/bin/$1" "$bin_dir/$1"
  chmod 0755 "$root/usr/bin/$1"
}
units() { for u in "$@"; do file "packaging/systemd/$u" "/lib/systemd/system/$u"; done; }

# The X libraries winit opens at run time (dlopen: dpkg-shlibdeps cannot see them); only a
# window needs them (not `kiosk serve`, not a headless display), hence Recommends.
x11_libs="libx11-6, libx11-xcb1, libxcursor1, libxrandr2, libxi6, libxkbcommon-x11-0"

# --- motcua-kiosk --------------------------------------------------------------------------
root=$stage/motcua-kiosk
binary kiosk
units motcua-kiosk.service motcua-authority.service motcua-backup.service motcua-backup.timer
file packaging/motcua-backup /usr/lib/motcua/motcua-backup 0755
file packaging/backup.env /etc/motcua/backup.env
file packaging/10-motcua-kiosk.conf /etc/X11/xorg.conf.d/10-motcua-kiosk.conf
file assets/catalogue/procedures.jsonl /usr/share/motcua/catalogue/procedures.jsonl
file assets/catalogue/fields.jsonl /usr/share/motcua/catalogue/fields.jsonl
config assets/demo.toml /etc/motcua/kiosk.toml \
  's|"\.\./run/queue\.db"|"/var/lib/motcua/queue.db"|' \
  's|"\.\./run/printer"|"/var/lib/motcua/printer"|' \
  's|"\.\./run/synonyms\.tsv"|"/var/lib/motcua/synonyms.tsv"|' \
  's|"catalogue/procedures\.jsonl"|"/var/lib/motcua/catalogue/procedures.jsonl"|' \
  's|"catalogue/fields\.jsonl"|"/usr/share/motcua/catalogue/fields.jsonl"|'
package motcua-kiosk \
  "$(printf '%s\n %s\n %s' "Một cửa queue-ticket kiosk and queue authority" \
    "The kiosk of a one-stop administrative counter: touch UI, ticket printer, and the queue" \
    "authority (HTTP API, event stream, SQLite store) it embeds or runs alone (kiosk serve).")" \
  "$(depends "$root/usr/bin/kiosk" "libc6 (>= 2.35), libfontconfig1 (>= 2.12.6), libgcc-s1 (>= 4.2)")" \
  "xserver-xorg, xinit, $x11_libs, espeak-ng, alsa-utils" "lp dialout video input audio" \
  motcua-kiosk.service motcua-authority.service motcua-backup.service motcua-backup.timer

# --- motcua-display ------------------------------------------------------------------------
root=$stage/motcua-display
binary display
units motcua-display.service motcua-display-headless.service
file packaging/10-motcua-kiosk.conf /etc/X11/xorg.conf.d/10-motcua-display.conf
for clip in assets/voice/vi/*.wav; do
  file "$clip" "/usr/share/motcua/voice/vi/$(basename "$clip")"
done
config assets/display-demo.toml /etc/motcua/display.toml \
  's|"\.\./run/display/|"/var/lib/motcua/display/|g' \
  's|"voice/vi"|"/usr/share/motcua/voice/vi"|'
package motcua-display \
  "$(printf '%s\n %s\n %s' "Một cửa display controller: boards, counter screens, voice calls" \
    "Follows the queue authority's event stream and drives the hall and results boards, the" \
    "counter screens (framebuffer, RS-485 LED panels), the voice calls and the counter keypads.")" \
  "$(depends "$root/usr/bin/display" "libasound2 (>= 1.0.16), libc6 (>= 2.35), libfontconfig1 (>= 2.12.6), libgcc-s1 (>= 4.2)")" \
  "xserver-xorg, xinit, $x11_libs" "audio video input dialout gpio" \
  motcua-display.service motcua-display-headless.service

# --- motcua-hub ----------------------------------------------------------------------------
root=$stage/motcua-hub
binary hub
units motcua-hub.service
config assets/hub.toml /etc/motcua/hub.toml
package motcua-hub \
  "$(printf '%s\n %s\n %s' "Một cửa province hub" \
    "Receives every centre's queue event log into PostgreSQL and reports on the province" \
    "(dashboard, CSV, API); publishes the procedure catalogue to the centres.")" \
  "$(depends "$root/usr/bin/hub" "libc6 (>= 2.34), libgcc-s1 (>= 4.2)")" \
  "postgresql" "" \
  motcua-hub.service
rm -rf "$stage"
