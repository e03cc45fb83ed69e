#!/usr/bin/env bash
# The CI check of the Linux package, as root on a Debian 12 machine: build the .deb, install
# it with apt, run the INSTALLED program (version, CLI against the demo cloud, the desk window
# saving a screenshot on X11 under Xvfb and on Wayland under a headless weston), purge it, and
# check that none of its files are left.
# Safe to run again: a package left installed by an earlier run is purged first.
# Usage: bash packaging/linux/verify-deb.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

PKG=bmx-console
LIMIT_MB=70
if [ "$(id -u)" -ne 0 ]; then
  echo "verify-deb: run as root (it installs and purges the $PKG package)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive

ensure_debs() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "verify-deb: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
ensure_debs xvfb xauth weston

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "verify-deb: ok   $*"; }
fail() { failed=$((failed + 1)); echo "verify-deb: FAIL $*"; }

started=$(date +%s)
bash packaging/linux/build-deb.sh
debs=(packaging/linux/out/"$PKG"_*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  echo "verify-deb: expected one .deb, got: ${debs[*]}" >&2
  exit 1
fi
DEB=${debs[0]}
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

size=$(stat -c %s "$DEB")
size_mb=$(( (size + 1048575) / 1048576 ))
echo "verify-deb: $DEB is $size bytes ($size_mb MB, limit $LIMIT_MB MB)"
if [ "$size" -le $((LIMIT_MB * 1048576)) ]; then pass ".deb size $size_mb MB"; else fail ".deb size $size_mb MB > $LIMIT_MB MB"; fi

# dpkg's word for the package: installed, config-files, half-installed, not-installed, ...
state() { local s; s=$(dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null || true); echo "${s##* }"; }
if [ -n "$(state)" ] && [ "$(state)" != not-installed ]; then
  echo "verify-deb: purging $PKG left by an earlier run"
  apt-get purge -y -qq "$PKG" >/dev/null
fi
apt-get install -y -qq "./$DEB" >/dev/null
pass "apt-get install ./$DEB"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg -L "$PKG" | sort > "$tmp/files"
: > "$tmp/dirs"
while IFS= read -r path; do
  if [ -d "$path" ] && [ ! -L "$path" ]; then echo "$path" >> "$tmp/dirs"; fi
done < "$tmp/files"
absent=""
for path in /usr/bin/$PKG /opt/$PKG/$PKG /usr/share/applications/$PKG.desktop \
    /usr/share/icons/hicolor/48x48/apps/$PKG.png /usr/share/icons/hicolor/scalable/apps/$PKG.svg; do
  grep -qxF "$path" "$tmp/files" && [ -e "$path" ] || absent+=" $path"
done
if [ -z "$absent" ]; then pass "installed files listed by dpkg -L"; else fail "not installed:$absent"; fi

# The installed program runs as a first-time user would: a fresh home, no settings.
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share" \
  XDG_STATE_HOME="$tmp/home/.local/state" XDG_CACHE_HOME="$tmp/home/.cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" && mkdir -m 0700 "$XDG_RUNTIME_DIR"
cd "$tmp"

got=$(/usr/bin/$PKG --version 2>&1 || true)
if [ "$got" = "$PKG $VERSION" ]; then pass "--version: $got"; else fail "--version said '$got', pyproject says $VERSION"; fi

if timeout 60 /usr/bin/$PKG --demo doors > "$tmp/doors.txt" 2> "$tmp/doors.err" && [ "$(wc -l < "$tmp/doors.txt")" -ge 2 ]; then
  pass "--demo doors listed $(($(wc -l < "$tmp/doors.txt") - 1)) doors"
else
  fail "--demo doors: $(tail -n 5 "$tmp/doors.err" "$tmp/doors.txt")"
fi

# A blank or one-colour window this size compresses to a few KB; the desk with its door
# list and event pane is tens of KB.
screenshot_ok() {
  python3 - "$1" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert width >= 640 and height >= 400, f"only {width}x{height}"
assert len(data) >= 20_000, f"only {len(data)} bytes: a blank window?"
print(f"verify-deb: screenshot {width}x{height}, {len(data)} bytes")
EOF
}

# The desk on X11 (Xvfb), then on Wayland (a headless weston compositor).
if timeout 90 xvfb-run -a -s "-screen 0 1600x1000x24" /usr/bin/$PKG --demo --smoke-test "$tmp/x11.png" \
    > "$tmp/x11.log" 2>&1 && screenshot_ok "$tmp/x11.png"; then
  pass "--demo --smoke-test on X11: $(tail -n 1 "$tmp/x11.log")"
  cp "$tmp/x11.png" "$ROOT/packaging/linux/out/smoke-test.png"  # to look at, or a CI artifact
else
  fail "--demo --smoke-test on X11: $(tail -n 20 "$tmp/x11.log")"
fi

weston --backend=headless-backend.so --socket=bmx-verify --width=1600 --height=1000 \
  > "$tmp/weston.log" 2>&1 &
weston_pid=$!
trap 'kill "$weston_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
  [ -S "$XDG_RUNTIME_DIR/bmx-verify" ] && break
  sleep 0.1
done
if WAYLAND_DISPLAY=bmx-verify QT_QPA_PLATFORM=wayland timeout 90 /usr/bin/$PKG --demo \
    --smoke-test "$tmp/wayland.png" > "$tmp/wayland.log" 2>&1 && screenshot_ok "$tmp/wayland.png"; then
  pass "--demo --smoke-test on Wayland: $(tail -n 1 "$tmp/wayland.log")"
else
  fail "--demo --smoke-test on Wayland: $(tail -n 20 "$tmp/wayland.log" "$tmp/weston.log")"
fi
kill "$weston_pid" 2>/dev/null || true
wait "$weston_pid" 2>/dev/null || true
cd "$ROOT"

apt-get purge -y -qq "$PKG" >/dev/null
if [ -z "$(state)" ] || [ "$(state)" = not-installed ]; then pass "apt-get purge $PKG"; else fail "$PKG is '$(state)' after purge"; fi
# Files must be gone; a directory may stay only if something else still uses it.
left=""
while IFS= read -r path; do
  if grep -qxF "$path" "$tmp/dirs"; then
    if [ -d "$path" ] && [ -z "$(ls -A "$path")" ] && ! dpkg -S "$path" >/dev/null 2>&1; then left+=" $path"; fi
  elif [ -e "$path" ] || [ -L "$path" ]; then
    left+=" $path"
  fi
done < "$tmp/files"
[ -e /opt/$PKG ] && left+=" /opt/$PKG"
if [ -z "$left" ]; then pass "purge left none of $(wc -l < "$tmp/files") packaged paths"; else fail "left after purge:$left"; fi

echo "verify-deb: took $(( $(date +%s) - started )) s"
echo "verify-deb: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
