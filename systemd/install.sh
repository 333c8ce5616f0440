#!/bin/sh
# Builds Assay in release mode and installs it as a systemd service:
#   binary → $PREFIX/bin/assay, units → /etc/systemd/system/assay.service (the daemon) and
#   assay-review.service (the review pages on 127.0.0.1:8080), sysusers.d and tmpfiles.d
#   entries, config → /etc/assay/assay.yml (kept if present), rules → /etc/assay/rules (kept if present).
# Usage: sudo systemd/install.sh            (PREFIX=/usr/local, DESTDIR= for staging)
set -eu
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}

# The Swift runtime is linked in statically: the service runs in its own root (RootDirectory=) where
# only /usr is bound in, so the toolchain's libraries need not be.
swift build -c release --static-swift-stdlib --product assay
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)

install -d "$DESTDIR$PREFIX/bin" "$DESTDIR/etc/systemd/system" "$DESTDIR/usr/lib/sysusers.d" \
  "$DESTDIR/usr/lib/tmpfiles.d" "$DESTDIR/etc/assay"
install -m 0755 "$bin/assay" "$DESTDIR$PREFIX/bin/assay"
# The bundled rule sets are package resources next to the binary; install them alongside.
if [ -d "$bin/Assay_AssayBundledRules.resources" ]; then
  rm -rf "$DESTDIR$PREFIX/bin/Assay_AssayBundledRules.resources"
  cp -R "$bin/Assay_AssayBundledRules.resources" "$DESTDIR$PREFIX/bin/"
fi
for unit in assay.service assay-review.service; do
  sed "s|^ExecStart=/usr/bin/env assay |ExecStart=$PREFIX/bin/assay |" "systemd/$unit" \
    > "$DESTDIR/etc/systemd/system/$unit"
  chmod 0644 "$DESTDIR/etc/systemd/system/$unit"
done
install -m 0644 systemd/assay.sysusers.conf "$DESTDIR/usr/lib/sysusers.d/assay.conf"
install -m 0644 systemd/assay.tmpfiles.conf "$DESTDIR/usr/lib/tmpfiles.d/assay.conf"
[ -e "$DESTDIR/etc/assay/assay.yml" ] || install -m 0644 systemd/assay.yml "$DESTDIR/etc/assay/assay.yml"
if [ ! -e "$DESTDIR/etc/assay/rules" ]; then
  install -d "$DESTDIR/etc/assay/rules"
  install -m 0644 Rules/*.yml "$DESTDIR/etc/assay/rules/"
fi

if [ -z "$DESTDIR" ]; then
  systemd-sysusers /usr/lib/sysusers.d/assay.conf
  systemd-tmpfiles --create /usr/lib/tmpfiles.d/assay.conf
  systemctl daemon-reload
  echo "installed; start with: systemctl enable --now assay (and assay-review for the review pages)"
fi
