#!/usr/bin/env bash
# Cross-builds the appliance for the Pi (aarch64-unknown-linux-gnu) and runs it under qemu-user:
#   1. a Debian unstable chroot (debootstrap; once, then reused) with Debian's rustc and cargo,
#      the arm64 standard library (libstd-rust-dev:arm64, Multi-Arch: same),
#      crossbuild-essential-arm64, the arm64 -dev libraries and qemu-user;
#   2. release builds of kiosk, display and hub for aarch64;
#   3. the pure crates' tests (shared, printer) built for aarch64 and run under qemu-aarch64;
#   4. `kiosk print-sample` under qemu-aarch64, its bytes compared with this machine's build;
#   5. the arm64 Debian packages (scripts/package.sh --target aarch64-unknown-linux-gnu),
#      installed in the chroot by arm64 dpkg, their binaries started from there, then purged;
#   6. with --boot, the kiosk's start-up bench with the arm64 binary under qemu-aarch64.
# The summary goes to target/arm64/summary.txt (the README quotes it); the packages to
# target/arm64/debian/. Needs root (debootstrap, chroot, bind mounts) and the network to Debian's
# and crates.io's registries. Not part of the tests: a cold run takes about 25 minutes on 2 cores.
#
#   sudo bash scripts/arm64.sh                 # all but the bench
#   sudo bash scripts/arm64.sh --boot          # and the start-up bench under qemu
#   ... --root DIR                             # the chroot (default /var/cache/motcua-arm64)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
root=/var/cache/motcua-arm64 boot=0
while [ $# -gt 0 ]; do
  case $1 in
    --root) root=${2:?}; shift 2 ;;
    --boot) boot=1; shift ;;
    -h | --help) usage ;;
    *) echo "arm64.sh: unknown argument $1" >&2; usage ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "arm64.sh: needs root (debootstrap, chroot, mount)" >&2; exit 1; }
triple=aarch64-unknown-linux-gnu
out=$repo/target/arm64
mkdir -p "$out"
summary=$out/summary.txt
say() { echo "arm64.sh: $*" >&2; }
started=$(date +%s)

# Host tools: debootstrap makes the chroot; the host's qemu-aarch64 runs the bench's kiosk.
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

# 1. The chroot. Each stage leaves a marker, so an interrupted set-up resumes where it stopped.
if [ ! -e "$root/.debootstrapped" ]; then
  say "debootstrap unstable into $root (a few minutes)"
  rm -rf "$root"
  debootstrap --variant=minbase --include=ca-certificates unstable "$root" http://deb.debian.org/debian >&2
  touch "$root/.debootstrapped"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
# A registry mirror may serve unstable's Release file after its Valid-Until (seen here: 28 days):
# apt would then refuse every update. The signatures are still checked.
echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99motcua-mirror"

mounts=()
unmount_all() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap unmount_all EXIT
bind() { # bind SRC DEST [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  mounts+=("$2")
  [ "${3:-}" != ro ] || mount -o remount,bind,ro "$2"
}
mount -t proc proc "$root/proc"
mounts+=("$root/proc")
bind /dev "$root/dev"
bind /dev/pts "$root/dev/pts"
# The source read-only: the chroot's build writes only its own target folder (/build).
bind "$repo" "$root/src" ro

in_chroot() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 "$@"; }

# The X libraries are those winit opens at run time (the packages' Recommends): the bench's
# window needs them.
packages=(rustc cargo libstd-rust-dev:arm64 crossbuild-essential-arm64 pkg-config
  libfontconfig1-dev:arm64 libasound2-dev:arm64 qemu-user dpkg-dev
  libx11-6:arm64 libx11-xcb1:arm64 libxcursor1:arm64 libxrandr2:arm64 libxi6:arm64 libxkbcommon-x11-0:arm64)
if [ ! -e "$root/.packages" ] || [ "$(cat "$root/.packages")" != "${packages[*]}" ]; then
  say "installing the cross toolchain in the chroot: ${packages[*]}"
  in_chroot dpkg --add-architecture arm64
  in_chroot apt-get update >&2
  in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}" >&2
  echo "${packages[*]}" >"$root/.packages"
fi

# The host's own certificate authorities (a network that inspects TLS to the registries has one):
# cargo in the chroot must trust crates.io as the host does.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  in_chroot update-ca-certificates >/dev/null
fi

# The libraries the binaries link against: Debian bookworm's arm64 ones (glibc 2.36), not the
# chroot's own (unstable's glibc is newer than any Pi runs: linked against it, the kiosk needed
# GLIBC_2.43 for atan2f and would not start on Raspberry Pi OS). Downloaded with an apt state of
# their own, unpacked into /opt/sysroot-bookworm, their absolute symbolic links made to point into
# it. The X libraries are there too, for the emulated bench's window.
sysroot=/opt/sysroot-bookworm
sysroot_debs=(libc6 libc6-dev libgcc-s1 libcrypt1 libcrypt-dev linux-libc-dev
  libfontconfig1 libfontconfig-dev libfreetype6 libfreetype-dev libexpat1 libpng16-16 zlib1g libbrotli1
  libasound2 libasound2-dev
  libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon0 libxkbcommon-x11-0 libxcb1
  libxcb-xkb1 libxau6 libxdmcp6 libxext6 libxrender1 libxfixes3 libbsd0 libmd0)
if [ ! -e "$root$sysroot/.debs" ] || [ "$(cat "$root$sysroot/.debs")" != "${sysroot_debs[*]} merged-usr" ]; then
  say "Debian bookworm's arm64 libraries into $sysroot"
  apt_dir=/opt/bookworm-apt
  mkdir -p "$root$apt_dir"/{lists/partial,archives/partial,cache,etc}
  echo "deb [arch=arm64] http://deb.debian.org/debian bookworm main" >"$root$apt_dir/etc/sources.list"
  : >"$root$apt_dir/status"
  apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "Dir::Cache::Archives=$apt_dir/archives"
    -o "Dir::State::status=$apt_dir/status" -o APT::Architecture=arm64 -o APT::Architectures::=arm64
    -o APT::Sandbox::User=root)
  in_chroot apt-get "${apt_opts[@]}" update >&2
  rm -f "$root$apt_dir"/archives/*.deb
  in_chroot sh -c 'cd "$0" && exec apt-get "$@"' "$apt_dir/archives" "${apt_opts[@]}" download "${sysroot_debs[@]}" >&2
  rm -rf "${root:?}$sysroot"
  mkdir -p "$root$sysroot"
  for d in "$root$apt_dir"/archives/*.deb; do dpkg-deb -x "$d" "$root$sysroot"; done
  # /lib into /usr/lib, as on a merged-/usr system: qemu-aarch64 -L finds a library under the
  # path the chroot's loader cache gives (/lib/aarch64-linux-gnu/...) in the sysroot, not the
  # chroot's newer one beside it.
  cp -a "$root$sysroot/lib/." "$root$sysroot/usr/lib/"
  rm -rf "${root:?}$sysroot/lib"
  ln -s usr/lib "$root$sysroot/lib"
  find "$root$sysroot" -type l -lname '/*' | while read -r l; do ln -sfn "$sysroot$(readlink "$l")" "$l"; done
  echo "${sysroot_debs[*]} merged-usr" >"$root$sysroot/.debs"
fi
# The cross gcc searches its own (unstable) libraries before a --sysroot's: -B and -L put
# bookworm's first, ahead of the -L the build scripts add from unstable's pkg-config files (so
# every library a binary links, -lfreetype included, needs its -dev package in the list above).
printf '#!/bin/sh\nexec aarch64-linux-gnu-gcc --sysroot=%s -B%s -L%s -L%s "$@"\n' "$sysroot" \
  "$sysroot/usr/lib/aarch64-linux-gnu" "$sysroot/usr/lib/aarch64-linux-gnu" "$sysroot/lib/aarch64-linux-gnu" \
  >"$root/usr/local/bin/aarch64-bookworm-gcc"
chmod +x "$root/usr/local/bin/aarch64-bookworm-gcc"

# Everything cargo needs to build for and run on aarch64 from the amd64 chroot; the tests run
# on bookworm's libraries too (qemu-aarch64 -L).
cross_env=(
  CARGO_TARGET_DIR=/build/target
  CARGO_TERM_COLOR=never
  CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-bookworm-gcc
  "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER=qemu-aarch64 -L $sysroot"
  CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
  CXX_aarch64_unknown_linux_gnu=aarch64-linux-gnu-g++
  AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
  PKG_CONFIG_ALLOW_CROSS=1
  PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
)
cargo_arm64() { in_chroot env "${cross_env[@]}" sh -c 'cd /src && exec cargo "$@"' cargo "$@"; }

rustc_version=$(in_chroot rustc --version)
say "$rustc_version, $(in_chroot cargo --version)"

# 2. The release binaries.
t0=$(date +%s)
cargo_arm64 build --locked --release --target $triple -p kiosk -p display -p hub --bin kiosk --bin display --bin hub >&2
build_s=$(($(date +%s) - t0))
bins=$root/build/target/$triple/release
# The newest glibc symbol version the binaries need: at most bookworm's 2.36, or a Pi on Raspberry
# Pi OS bookworm could not start them.
glibc_need=$(for b in kiosk display hub; do in_chroot aarch64-linux-gnu-objdump -T "/build/target/$triple/release/$b"; done |
  grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
if [ "$(printf '%s\n' "$glibc_need" GLIBC_2.36 | sort -V | tail -1)" != GLIBC_2.36 ]; then
  say "the binaries need $glibc_need, newer than bookworm's glibc 2.36"
  exit 1
fi

# 3. The pure crates' tests, each test binary run by qemu-aarch64 (cargo's runner).
t0=$(date +%s)
tests_log=$out/tests.log
set +e
cargo_arm64 test --locked --target $triple -p shared -p printer 2>&1 | tee "$tests_log" >&2
tests_rc=${PIPESTATUS[0]}
set -e
tests_s=$(($(date +%s) - t0))
counts=$(grep -E '^test result' "$tests_log" | awk '{p += $4; f += $6; i += $8} END {printf "%d passed, %d failed, %d ignored", p, f, i}')

# 4. The sample ticket, printed by the arm64 kiosk under qemu and by this machine's build, at one
# fixed issue time (the time is printed: without it two runs a minute apart differ).
sample_at=2026-12-04T09:00:00+07:00
cfg=/src/assets/demo.toml
in_chroot qemu-aarch64 -L $sysroot "/build/target/$triple/release/kiosk" --config $cfg print-sample --at "$sample_at" --out /build/sample-arm64.bin >&2
arm_sum=$(sha256sum "$root/build/sample-arm64.bin" | cut -d' ' -f1)
arm_bytes=$(stat -c %s "$root/build/sample-arm64.bin")
# This machine's kiosk, built from the same sources (release: the bench below uses it too).
host_kiosk=${KIOSK_BIN:-}
if [ -z "$host_kiosk" ] && command -v cargo >/dev/null; then
  cargo build --release -p kiosk --bin kiosk >&2
  host_kiosk=$repo/target/release/kiosk
fi
if [ -n "$host_kiosk" ] && [ -x "$host_kiosk" ]; then
  "$host_kiosk" --config "$repo/assets/demo.toml" print-sample --at "$sample_at" --out "$out/sample-amd64.bin" >&2
  host_sum=$(sha256sum "$out/sample-amd64.bin" | cut -d' ' -f1)
  if [ "$host_sum" = "$arm_sum" ]; then same="the same bytes as the amd64 build's"; else same="DIFFERENT bytes from the amd64 build's ($host_sum)"; fi
else
  same="(no amd64 kiosk built here to compare with)"
fi
cp "$root/build/sample-arm64.bin" "$out/"

# 5. The packages, from the binaries just built.
in_chroot env CARGO_TARGET_DIR=/build/target sh -c "cd /src && bash scripts/package.sh --target $triple --no-build --out /build/debian" >&2
rm -rf "$out/debian"
mkdir -p "$out/debian"
cp "$root"/build/debian/*.deb "$out/debian/"

# 5b. The packages installed by arm64 dpkg (apt resolves their Depends among the chroot's arm64
# libraries; the maintainer scripts make the user), the installed binaries started under qemu
# from the installed paths (the kiosk prints the sample with /etc/motcua/kiosk.toml, which points
# at /usr/share/motcua), then purged.
debs=()
for n in kiosk display hub; do
  for f in "$root"/build/debian/motcua-"$n"_*_arm64.deb; do debs+=("/build/debian/$(basename "$f")"); done
done
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --reinstall "${debs[@]}" >&2
set +e
in_chroot qemu-aarch64 -L $sysroot /usr/bin/kiosk --config /etc/motcua/kiosk.toml print-sample --at "$sample_at" --out /build/sample-installed.bin >&2
installed_rc=$?
for b in display hub; do
  in_chroot qemu-aarch64 -L $sysroot /usr/bin/$b --help >/dev/null || installed_rc=1
done
set -e
user=$(in_chroot getent passwd motcua | cut -d: -f1,6)
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get purge -y motcua-kiosk motcua-display motcua-hub >&2
if [ "$installed_rc" = 0 ] && cmp -s "$root/build/sample-installed.bin" "$root/build/sample-arm64.bin"; then
  installed="installed by arm64 dpkg (user $user), started from /usr/bin under qemu: the installed kiosk printed the same sample; purged"
else
  installed="INSTALLED PACKAGES FAILED (exit $installed_rc, or a different sample)"
  install_failed=1
fi

{
  echo "arm64 cross-build, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "toolchain (Debian unstable chroot): $rustc_version"
  echo "release build of kiosk, display, hub for $triple: ${build_s} s"
  for b in kiosk display hub; do
    printf '  %-8s %s\n' "$b" "$(file -b "$bins/$b" | cut -d, -f1-2), $(du -h "$bins/$b" | cut -f1)"
  done
  echo "newest glibc symbol needed: $glibc_need (linked against Debian bookworm's arm64 libraries, glibc 2.36)"
  echo "tests of shared and printer under qemu-aarch64 on bookworm's libraries: $counts (exit $tests_rc, ${tests_s} s with their build)"
  echo "kiosk print-sample under qemu-aarch64: $arm_bytes bytes, $same"
  echo "packages, $installed:"
  for d in "$out"/debian/*.deb; do
    printf '  %-40s %s, installed %s KiB\n' "$(basename "$d")" "$(du -h "$d" | cut -f1)" "$(dpkg-deb -f "$d" Installed-Size)"
  done
} >"$summary"

# 6. The start-up bench, its kiosk the arm64 build run by the host's qemu-aarch64 (-L: the
# chroot's arm64 libraries). A relative figure: emulation, not a Pi's speed.
if [ "$boot" = 1 ]; then
  wrapper=$out/kiosk-qemu
  printf '#!/bin/sh\nexec qemu-aarch64 -L %s %s "$@"\n' "$root$sysroot" "$bins/kiosk" >"$wrapper"
  chmod +x "$wrapper"
  say "the start-up bench with the arm64 kiosk under qemu"
  KIOSK_BIN=$wrapper cargo bench -p kiosk --bench window 2>&1 | tee "$out/boot.log" >&2
  if grep -q 'spawn → first frame' "$out/boot.log"; then
    { echo "start-up bench, arm64 kiosk under qemu-aarch64:"; grep -E '^  [^ ]' "$out/boot.log" | head -6; } >>"$summary"
  else
    echo "start-up bench, arm64 kiosk under qemu-aarch64: NO FIGURES (see $out/boot.log)" >>"$summary"
    boot_failed=1
  fi
fi
echo "in all: $(($(date +%s) - started)) s" >>"$summary"
cat "$summary"
[ "$tests_rc" = 0 ] && [ -z "${boot_failed:-}" ] && [ -z "${install_failed:-}" ]
