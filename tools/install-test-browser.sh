#!/bin/sh
# Installs what the web app's browser tests need on a Debian machine: Chromium and
# ChromeDriver from Debian's packages (nothing is downloaded by the tests themselves).
# Does nothing when both are already there. Needs root, or sudo.
set -eu
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "install-test-browser: the browser tests need Debian's chromium and chromium-driver;" >&2
    echo "run as root: apt-get install chromium chromium-driver" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
$as_root apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
