#!/usr/bin/env bash
# Installs what Gatelab needs and is missing; fast when everything is there.
#   scripts/setup.sh          wasm32 target, trunk 0.21.14, wasm-bindgen-cli (Cargo.lock's version),
#                             wasm-opt (npm's binaryen 132, in tools/)
#   scripts/setup.sh --test   also the browsers (Chromium, Firefox ESR, WebKitGTK's MiniBrowser with
#                             WebKitWebDriver, an X server for it), SLURM with munge, and the
#                             browser tests' Node packages
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# trunk 0.22 needs Rust 1.96; 0.21.14 builds with this toolchain.
if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  cargo install trunk --version 0.21.14 --locked
fi

# trunk runs offline, with the wasm-bindgen on PATH: it must match Cargo.lock exactly.
wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb" ]; then
  cargo install wasm-bindgen-cli --version "$wb" --force
fi

# wasm-opt: binaryen 132 from npm (Debian's 108 breaks wasm-bindgen's reference types).
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  (cd tools && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--test" ]; then
  # Debian's packages the tests drive, each checked by a command it provides.
  missing=()
  for pair in chromium:chromium chromedriver:chromium-driver firefox-esr:firefox-esr \
    WebKitWebDriver:webkit2gtk-driver xvfb-run:xvfb slurmctld:slurm-wlm munged:munge python3:python3; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  if [ ! -x /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser ]; then missing+=(webkit2gtk-driver); fi
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_ apt-get update
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
  if [ ! -d e2e/node_modules/playwright-core ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
    (cd e2e && npm ci --no-audit --no-fund)
  fi
fi
