# ospf-speaker — the two commands a new user needs: `make demo` and `make test` (both as root).

SWIFT        ?= swift
DEBIAN_PKGS  := libpcap-dev frr bird2 tcpdump tshark iproute2 python3 jq valgrind binutils prometheus curl lintian dpkg-dev groff-base file systemd git
BIN          := .build/debug/ospf-speaker
FUZZ_BUILD   := .build-fuzz
FUZZ_SECONDS ?= 45
ENGINE_FUZZ_SECONDS ?= 45

.PHONY: all build deps test unit lint tshark-check sync-work fuzz-build fuzz-smoke fuzz bench demo clean deb package-test

all: build

## Install the Debian packages the build and the tests need (only those missing).
deps:
	@missing=""; for p in $(DEBIAN_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

## The whole suite: format lint, unit/property/fixture tests, tshark cross-check, fuzz smoke.
test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(BIN) replay Fixtures/scenarios/*/
	$(MAKE) sync-work
	scripts/tests/health-libreqos $(BIN)
	scripts/tests/interop $(BIN)
	scripts/tests/engine-live $(BIN)
	scripts/tests/systemd-notify $(BIN)
	scripts/tests/automation $(BIN)
	scripts/tests/health-events $(BIN)
	scripts/tests/health-process $(BIN)
	scripts/tests/bfd $(BIN)
	scripts/tests/hostile $(BIN) .build/debug/ospf-lab-sender
	scripts/tests/faults $(BIN)
	scripts/tests/cli $(BIN)
	$(MAKE) package-test
	$(MAKE) tshark-check
	$(MAKE) fuzz-smoke

unit: deps
	$(SWIFT) test

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

## Decoder vs tshark on every fixture capture, with the fixture's keys.
tshark-check: build
	scripts/check-fixtures-with-tshark $(BIN)

## Database synchronisation scales linearly: instructions counted by callgrind at N, 2N, 4N LSAs.
sync-work: deps
	$(SWIFT) build -c release --product ospf-engine-bench
	scripts/bench/sync-work .build/release/ospf-engine-bench

fuzz-build:
	$(SWIFT) build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
	  --product ospf-wire-fuzz --scratch-path $(FUZZ_BUILD)
	$(SWIFT) build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
	  --product ospf-engine-fuzz --scratch-path $(FUZZ_BUILD)

## Short libFuzzer runs (CI): the decoder seeded with every fixture packet, and the engine fed scripts
## of packets, timers and events; `make fuzz FUZZ_SECONDS=600 ENGINE_FUZZ_SECONDS=1800` for long ones.
fuzz-smoke: fuzz-build build
	scripts/fuzz $(FUZZ_BUILD)/release/ospf-wire-fuzz $(BIN) $(FUZZ_SECONDS)
	scripts/fuzz-engine $(FUZZ_BUILD)/release/ospf-engine-fuzz $(ENGINE_FUZZ_SECONDS)

fuzz: fuzz-smoke

bench: deps
	$(SWIFT) build -c release --product ospf-wire-bench
	.build/release/ospf-wire-bench --seconds 5

## The Debian package (static Swift runtime, systemd unit, example config, man page): .build-deb/*.deb
deb: deps
	rm -f .build-deb/*.deb
	scripts/package/make-deb

## Builds the package and tests it: lintian, contents, unpacked into a scratch root and run for real against
## FRR; then the packaged binary is scraped by Prometheus (metrics) and runs check and drill (readiness).
package-test: deb
	scripts/tests/package .build-deb/ospf-speaker_*.deb
	rm -rf .build-deb/root && dpkg -x .build-deb/ospf-speaker_*.deb .build-deb/root
	scripts/tests/metrics .build-deb/root/usr/sbin/ospf-speaker
	scripts/tests/readiness .build-deb/root/usr/sbin/ospf-speaker

demo: build
	scripts/demo $(BIN)

clean:
	rm -rf .build $(FUZZ_BUILD)
