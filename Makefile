# Portico: the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
# One tag set everywhere: a change of tags rebuilds the cgo SQLite driver.
TAGS := webkit2_41 sqlite_fts5
export GOFLAGS := -tags=webkit2_41,sqlite_fts5
export PATH := $(CURDIR)/.tools/bin:$(PATH)

.PHONY: run test deps deps-test vet bindings cross go-test fuzz frontend-test e2e single-instance bench build build-windows build-macos portald clean

## run: install what is missing, start portald on SQLite and the desktop app signed in to it
run: deps
	scripts/run.sh

## test: every test; installs and starts what the tests need
test: deps-test vet bindings cross go-test fuzz frontend-test e2e single-instance

deps:
	scripts/deps.sh run

deps-test:
	scripts/deps.sh test

vet:
	go vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

## bindings: the UI's generated bindings and models match the Go code: a changed bound
## method or type fails here, not at run time
bindings: deps-test
	wails generate module -tags "$(TAGS)" >/dev/null
	@git -c core.fileMode=false diff --exit-code --stat -- frontend/wailsjs || \
		{ echo "frontend/wailsjs is stale: run 'wails generate module -tags \"$(TAGS)\"' and commit it"; exit 1; }

## cross: every platform keeps compiling: Windows with mingw-w64 (cgo SQLite inside), and a
## vet of the pure-Go packages for macOS, so a Linux-only call cannot slip in
cross:
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc go vet ./...
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go vet ./backend/... ./cmd/...
	scripts/test-signing.sh

## go-test: Go unit and integration tests with the race detector, real keyring
go-test:
	PORTICO_REQUIRE_TOOLS=1 scripts/with-keyring.sh go test -race -count=1 ./...

## fuzz: each parser of outside input fuzzed for a while (go test runs their seeds and the
## crashes kept in testdata/fuzz every time); a crash found fails and lands in testdata/fuzz
FUZZ_TARGETS := ./backend/seal:FuzzInspect ./backend/seal:FuzzVerify ./backend/portal/blobs:FuzzTusCreate \
	./backend/portal/web:FuzzDrawing ./backend/portal/peer:FuzzIP ./backend/api:FuzzSafeName ./backend/api:FuzzCheckFile
FUZZ_TIME ?= 10s
fuzz:
	@for t in $(FUZZ_TARGETS); do echo "fuzz $${t#*:} ($(FUZZ_TIME))"; \
		go test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZ_TIME) "$${t%%:*}" || exit 1; done

frontend-test:
	cd frontend && npm test && npm run check

## e2e: the staff UI in Chromium through `wails dev` under Xvfb
e2e: deps-test
	scripts/with-keyring.sh scripts/e2e.sh

## single-instance: a second launch of the built app hands over to the first and exits; the
## window reopens where it was closed
single-instance: deps-test
	scripts/with-keyring.sh scripts/test-single-instance.sh

## bench: figures as `BENCH <name> <value> <unit>` lines (one package at a time: they must not share the 2 cores)
bench: deps-test
	@mkdir -p test-output; set -o pipefail; PORTICO_SYNCTHING=$$(scripts/syncthing.sh) && export PORTICO_SYNCTHING && \
	PORTICO_BENCH=1 scripts/with-keyring.sh go test -p 1 -count=1 -v -run '^TestBench' -timeout 90m ./... \
		> test-output/bench.log 2>&1 || { cat test-output/bench.log; exit 1; }; grep '^BENCH ' test-output/bench.log

## build: the desktop app for this machine (build/bin/portico) and portald (.tools/bin/portald)
build: deps portald
	wails build -tags "$(TAGS)"

## build-windows: Windows executable and NSIS installer, cross-built here (see README)
build-windows:
	scripts/build-windows.sh

## build-macos: universal .app and .dmg; runs on macOS only (.github/workflows/macos.yml)
build-macos:
	scripts/build-macos.sh

portald:
	go build -o .tools/bin/portald ./cmd/portald

clean:
	rm -rf build/bin test-output .tools/bin/portald
