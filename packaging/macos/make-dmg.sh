#!/usr/bin/env bash
# macOS only: builds "BMX Console.app" with the PyInstaller spec (its BUNDLE section sets the
# bundle id com.bmx-console.desk, the version from pyproject.toml and NSHighResolutionCapable)
# and wraps it in a compressed disk image with an Applications link to drag it onto.
# Output: packaging/macos/out/bmx-console-<version>-macos-<arch>.dmg
# BMX_CODESIGN_IDENTITY="Developer ID Application: ..." signs with a real identity (ad hoc
# otherwise); notarisation is a separate step.  Usage: bash packaging/macos/make-dmg.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
[ "$(uname -s)" = Darwin ] || { echo "make-dmg: needs macOS (hdiutil)" >&2; exit 2; }

PYTHON=${PYTHON:-python3}
BUILD=packaging/macos/build
OUT=packaging/macos/out
VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

[ -x "$BUILD/venv/bin/python" ] || "$PYTHON" -m venv "$BUILD/venv"
"$BUILD/venv/bin/python" -m pip install -q --disable-pip-version-check "pyinstaller>=6.10,<7" .
rm -rf "$BUILD/dist" "$BUILD/work" "$BUILD/dmg" "$OUT"
"$BUILD/venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$BUILD/dist" --workpath "$BUILD/work" packaging/pyinstaller/bmx-console.spec

APP="$BUILD/dist/BMX Console.app"
got=$("$APP/Contents/MacOS/bmx-console" --version)
[ "$got" = "bmx-console $VERSION" ] || { echo "make-dmg: the app says '$got', not $VERSION" >&2; exit 1; }

mkdir -p "$BUILD/dmg" "$OUT"
cp -R "$APP" "$BUILD/dmg/"
ln -s /Applications "$BUILD/dmg/Applications"
DMG="$OUT/bmx-console-$VERSION-macos-$(uname -m).dmg"
hdiutil create -quiet -volname "BMX Console $VERSION" -srcfolder "$BUILD/dmg" -fs HFS+ \
  -format UDZO -imagekey zlib-level=9 -ov "$DMG"
hdiutil verify -quiet "$DMG"
echo "make-dmg: $DMG ($(du -m "$DMG" | cut -f1) MB)"
