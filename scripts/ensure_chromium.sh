#!/bin/sh
# Make sure Debian's Chromium is at /usr/bin/chromium for the e2e browser tests,
# with a CJK font so Chinese pages render (and screenshot) as text, not boxes.
# Idempotent and a fast no-op when both are there. Never downloads a browser of
# its own (no `playwright install`). When it cannot install (not root and no
# sudo, or apt fails) it says so and exits 0: the e2e tests then skip themselves.
set -u

CHROMIUM=/usr/bin/chromium
packages=""
[ -x "$CHROMIUM" ] || packages=" chromium"
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    packages="$packages fonts-noto-cjk"
fi
[ -n "$packages" ] || exit 0

say() { echo "ensure_chromium: $*" >&2; }

if ! command -v apt-get >/dev/null 2>&1; then
    say "apt-get not found; cannot install:$packages"
    [ -x "$CHROMIUM" ] || say "$CHROMIUM missing; e2e tests will be skipped."
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    say "not root and no passwordless sudo; as root run:"
    say "    apt-get update && apt-get install -y$packages"
    [ -x "$CHROMIUM" ] || say "$CHROMIUM missing; e2e tests will be skipped."
    exit 0
fi

say "installing Debian packages:$packages"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq >/dev/null; then
    say "apt-get update failed."
elif ! $SUDO apt-get install -y -qq --no-install-recommends $packages >/dev/null; then
    say "apt-get install$packages failed."
fi

if [ -x "$CHROMIUM" ]; then
    say "$("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM present")"
else
    say "$CHROMIUM missing; e2e tests will be skipped."
fi
exit 0
