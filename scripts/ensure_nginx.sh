#!/bin/sh
# Make sure Debian's nginx is at /usr/sbin/nginx for the two-host tests (tests/multihost),
# which run it with a config file of their own on a free 127.0.0.1 port. Idempotent and a
# fast no-op when it is there. The package's own service is not wanted: if installing it
# started one (on port 80, where invoke-rc.d is allowed to start services), it is stopped
# again. When it cannot install (not root and no sudo, or apt fails) it says so and exits 0:
# the two-host tests then skip themselves.
set -u

NGINX=/usr/sbin/nginx
[ -x "$NGINX" ] && exit 0

say() { echo "ensure_nginx: $*" >&2; }

if ! command -v apt-get >/dev/null 2>&1; then
    say "apt-get not found; cannot install nginx; the two-host tests will be skipped."
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    say "not root and no passwordless sudo; as root run: apt-get install -y nginx"
    say "$NGINX missing; the two-host tests will be skipped."
    exit 0
fi

say "installing Debian's nginx"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq >/dev/null; then
    say "apt-get update failed."
elif ! $SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null; then
    say "apt-get install nginx failed."
fi

# The service the package may have started with /etc/nginx/nginx.conf: not ours to keep.
if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
    $SUDO "$NGINX" -s quit 2>/dev/null && say "stopped the nginx service the package started"
fi
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
fi

if [ -x "$NGINX" ]; then
    say "$("$NGINX" -v 2>&1)"
else
    say "$NGINX missing; the two-host tests will be skipped."
fi
exit 0
