# The README's two commands: `make serve` and `make test`. Both install what is missing first.
# cargo install puts trunk and wasm-bindgen here, npm puts wasm-opt in tools/: make sure the
# recipes find them.
export PATH := $(CURDIR)/tools/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

.PHONY: serve test dist setup setup-test lint unit web e2e slurm bench

serve: setup
	trunk serve --release --offline

# dist/: the site, static files with relative URLs (see README, Publishing).
dist: setup web

test: setup-test lint unit web e2e slurm

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

lint:
	cargo fmt --all -- --check
	cargo clippy --release --all-targets -- -D warnings
	cargo clippy --release --target wasm32-unknown-unknown --bin app --bin views --bin worker -- -D warnings

unit:
	cargo test --release

web:
	trunk build --release --offline

# The browser tests: the long Chromium checks, then the shared checks in Chromium, Firefox and
# WebKit (WebKit's MiniBrowser needs an X server: xvfb-run gives it one).
e2e:
	cargo build --release --bin gatelab
	cd e2e && xvfb-run -a node --test --test-concurrency=1 --test-timeout=600000 tests/

# The cluster recipe on a real single-node SLURM, started and stopped here.
slurm:
	cargo build --release --bin gatelab
	scripts/slurm-check.sh

bench: setup-test web
	cargo build --release --bin gatelab
	scripts/bench.sh
