#!/usr/bin/env bash
# Headless Chromium and its driver for tests/notebooks/test_browser.py (Debian packages).
# Called from .ci/run; does nothing when chromium is already installed.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi
chromium --version 2>/dev/null || true
