#!/usr/bin/env bash
# Compiles bmx-console.nsi here on Linux (makensis cross-builds Windows installers) against a
# stand-in for the PyInstaller folder, with warnings as errors, then lists the installer's
# payload to check that the bundle's files went in. Nothing is run: there is no Windows here.
# Usage: bash packaging/windows/check-nsis.sh   (installs Debian's nsis and 7zip if missing)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

missing=()
command -v makensis >/dev/null || missing+=(nsis)
command -v 7z >/dev/null || missing+=(p7zip-full)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The layout the spec produces on Windows: two launchers and the _internal folder.
dist="$tmp/dist/bmx-console"
mkdir -p "$dist/_internal/PySide6/plugins/platforms"
for f in bmx-console.exe bmx-console-cli.exe _internal/python311.dll \
    _internal/PySide6/plugins/platforms/qwindows.dll; do
  printf 'stand-in for %s\n' "$f" > "$dist/$f"
done

out="$tmp/bmx-console-$VERSION-win64-setup.exe"
makensis -V2 -WX "-DVERSION=$VERSION" "-DDIST=$dist" "-DOUTFILE=$out" packaging/windows/bmx-console.nsi

[ "$(head -c 2 "$out")" = MZ ] || { echo "check-nsis: $out is not a Windows executable" >&2; exit 1; }
listing=$(7z l "$out")
for f in bmx-console.exe bmx-console-cli.exe python311.dll qwindows.dll; do
  grep -q "$f" <<< "$listing" || { echo "check-nsis: $f is missing from the installer" >&2; exit 1; }
done
echo "check-nsis: compiled $(basename "$out") ($(stat -c %s "$out") bytes) with the bundle's files in it"
