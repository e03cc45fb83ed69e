#!/usr/bin/env bash
# Builds packaging/linux/out/bmx-console_<version>_<arch>.deb from this checkout.
#
# A venv holding only bmx-console and its runtime dependencies (plus PyInstaller) feeds the
# one-folder PyInstaller bundle, so nothing that merely happens to be installed on the build
# machine ends up in the package. The package installs the bundle to /opt/bmx-console, links
# /usr/bin/bmx-console to it and adds the desktop entry and hicolor icons. Downloads come from
# PyPI and Debian only. Usage: bash packaging/linux/build-deb.sh   (PYTHON=python3.11 to pick)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

PYTHON=${PYTHON:-python3}
MAINTAINER=${MAINTAINER:-"bmx-console maintainers <packaging@bmx-console.invalid>"}
BUILD=packaging/linux/build
OUT=packaging/linux/out
PKG=bmx-console

ensure_debs() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "build-deb: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What the bundle takes from the system, and so the package's Depends (with libc6): the
# libraries PyInstaller never bundles (the GL/EGL driver stack, libxcb, Wayland), libcups
# (left out by the spec) and what Qt's xcb plugin loads. The build machine needs them too:
# PyInstaller bundles the libraries they link in turn only when it can find them.
RUNTIME_DEBS=(libgl1 libegl1 libxcb1 libwayland-client0 libwayland-cursor0 libwayland-egl1
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libfontconfig1
  libdbus-1-3 libcups2)
# binutils: PyInstaller strips the bundle, and this script reads it with objdump.
ensure_debs binutils "${RUNTIME_DEBS[@]}"
if [ "$("$PYTHON" -c 'import sys; print(sys.prefix)')" = /usr ]; then
  # Debian's own interpreter: venv support and the shared libpython PyInstaller bundles.
  ensure_debs python3-venv "lib$(basename "$(readlink -f "$(command -v "$PYTHON")")")"
fi

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
# PEP 440 pre-releases (1.0rc1, 1.0.dev2) must sort before the release in Debian too.
DEB_VERSION=$(printf '%s' "$VERSION" | sed -E 's/\.?(a|b|rc|dev)([0-9]+)/~\1\2/g')
ARCH=$(dpkg --print-architecture)
echo "build-deb: $PKG $VERSION ($DEB_VERSION) for $ARCH"

# The venv is kept between runs (only its packages are refreshed); the bundle is not.
if [ ! -x "$BUILD/venv/bin/python" ]; then
  "$PYTHON" -m venv "$BUILD/venv"
fi
"$BUILD/venv/bin/python" -m pip install -q --disable-pip-version-check "pyinstaller>=6.10,<7" . \
  2> >(grep -v "^WARNING: Location .* is ignored" >&2)
rm -rf "$BUILD/dist" "$BUILD/work" "$BUILD/root" "$OUT"
"$BUILD/venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$BUILD/dist" --workpath "$BUILD/work" packaging/pyinstaller/bmx-console.spec
echo "build-deb: one-folder bundle $(du -sm "$BUILD/dist/$PKG" | cut -f1) MB"

STAGE="$BUILD/root"
install -d "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/doc/$PKG" "$STAGE/DEBIAN"
cp -a "$BUILD/dist/$PKG" "$STAGE/opt/$PKG"
ln -s "/opt/$PKG/$PKG" "$STAGE/usr/bin/$PKG"
install -m 0644 resources/bmx-console.desktop "$STAGE/usr/share/applications/$PKG.desktop"
for png in resources/icons/hicolor/*/apps/bmx-console.png; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  install -D -m 0644 "$png" "$STAGE/usr/share/icons/hicolor/$size/apps/$PKG.png"
done
install -D -m 0644 resources/icons/bmx-console.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/$PKG.svg"
cat > "$STAGE/usr/share/doc/$PKG/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: $PKG

Files: *
License: Proprietary
 The bundle under /opt/$PKG also carries Qt for Python (LGPL-3.0) and the Python
 packages listed in its *.dist-info folders, each under its own license.
EOF
# Debian wants regular files 0644 and directories 0755 whatever the build umask was;
# executables (the launcher, shared libraries) keep their x bit.
find "$STAGE" -type d -exec chmod 0755 {} +
find "$STAGE" -type f -exec chmod u+rw,go+r,go-w {} +

ELFS=$(find "$STAGE/opt/$PKG" -type f \( -name '*.so*' -o -name "$PKG" \))
# shellcheck disable=SC2086 # one path a word
GLIBC=$(objdump -T $ELFS 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1)
DEPENDS="libc6 (>= $GLIBC)$(printf ', %s' "${RUNTIME_DEBS[@]}")"

# Every library the bundle links but does not carry must come from a package in Depends.
bundled=$(find "$STAGE/opt/$PKG" -name '*.so*' -printf '%f\n' | sort -u)
# shellcheck disable=SC2086 # one path a word
linked=$(objdump -p $ELFS 2>/dev/null | awk '$1 == "NEEDED" {print $2}' | sort -u)
for lib in $(comm -23 <(echo "$linked") <(echo "$bundled")); do
  owner=$(dpkg -S "*/$lib" 2>/dev/null | awk -F': ' -v lib="/$lib" \
    'substr($2, length($2) - length(lib) + 1) == lib {sub(/:.*/, "", $1); print $1; exit}')
  case ", $DEPENDS," in
    *", $owner"[\ ,]*) ;;
    *) echo "build-deb: the bundle links $lib (from ${owner:-no installed package}), not covered by Depends" >&2
       exit 1 ;;
  esac
done

cat > "$STAGE/DEBIAN/control" <<EOF
Package: $PKG
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $DEPENDS
Recommends: gnome-keyring, libpulse0 | libasound2
Section: misc
Priority: optional
Description: desk console for the ButterflyMX cloud video intercom
 A security-desk window with the door list and one-click door release, live
 access events and panel calls, a lobby kiosk, visitor passes and a command line
 for scripting. Secrets stay in the desktop's Secret Service (gnome-keyring).
 "bmx-console --demo" runs against a built-in simulator with no account.
EOF

# Maintainer scripts only refresh the shared caches that already exist, so the package
# never leaves a file behind that dpkg does not know about.
REFRESH='if command -v update-desktop-database >/dev/null 2>&1 && [ -f /usr/share/applications/mimeinfo.cache ]; then
    update-desktop-database -q /usr/share/applications || true
fi
if [ -f /usr/share/icons/hicolor/icon-theme.cache ]; then
    if command -v update-icon-caches >/dev/null 2>&1; then
        update-icon-caches /usr/share/icons/hicolor || true
    elif command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -f /usr/share/icons/hicolor || true
    fi
fi'
# shellcheck disable=SC2016 # "$1" is the maintainer script's argument
printf '#!/bin/sh\nset -e\nif [ "$1" = configure ]; then\n%s\nfi\n' "$REFRESH" > "$STAGE/DEBIAN/postinst"
# Purging removes no user data: settings, the audit log and keyring entries belong to
# each user's home and Secret Service, not to the package.
# shellcheck disable=SC2016
printf '#!/bin/sh\nset -e\ncase "$1" in\n  remove|purge)\n%s\n  ;;\nesac\n' "$REFRESH" > "$STAGE/DEBIAN/postrm"
chmod 0755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"

mkdir -p "$OUT"
DEB="$OUT/${PKG}_${DEB_VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
echo "build-deb: $DEB $(du -m "$DEB" | cut -f1) MB ($(stat -c %s "$DEB") bytes)"
