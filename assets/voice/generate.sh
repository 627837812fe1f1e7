#!/usr/bin/env bash
# Regenerates the voice clips of assets/voice/vi from the clip names the code can use.
# Needs espeak-ng and sox (apt-get install -y espeak-ng sox) and cargo.
# Usage: assets/voice/generate.sh            (all clips)
# Every clip: 16 kHz mono 16-bit WAV, silence trimmed at both ends, peak-normalised.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/vi"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# The phrase clips speak the wording of shared::text::announce (OPENING, TO_COUNTER).
declare -A text=(
  [xin_moi]="Xin mời công dân có số thứ tự"
  [den_quay_so]="đến quầy số"
)

# Speech: espeak-ng's Vietnamese voice, slowed for a hall with echo, resampled, trimmed.
speak() { # name words
  espeak-ng -v vi -s 140 -w "$tmp/raw.wav" "$2"
  sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$out/$1.wav" \
    silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse norm -1
}

# The chime: two falling sine tones (A5 then E5), soft attack and decay, as hall systems use.
chime() {
  sox -n -r 16000 -c 1 -b 16 "$tmp/hi.wav" synth 0.28 sine 880 fade q 0.01 0.28 0.2 vol 0.45
  sox -n -r 16000 -c 1 -b 16 "$tmp/lo.wav" synth 0.55 sine 659.25 fade q 0.01 0.55 0.45 vol 0.45
  sox "$tmp/hi.wav" "$tmp/lo.wav" "$out/chime.wav"
}

names="$(cd "$here/../.." && cargo run -q -p display -- clip-names)"
while IFS= read -r name; do
  case "$name" in
    chime) chime ;;
    xin_moi|den_quay_so) speak "$name" "${text[$name]}" ;;
    *) speak "$name" "$name" ;;
  esac
done <<< "$names"
echo "$(wc -l <<< "$names") clips in $out"
