# Each target installs what it needs: on a fresh clone `make generate` and `make test` are the whole set-up.
.PHONY: generate check validate test test-all typecheck bench build lint format docs

# npm writes node_modules/.package-lock.json on every install, so its age is the install's age.
DEPS := node_modules/.package-lock.json
MAILCODES := node generator/bin/mailcodes.js

# The packages compiled by tsc, each from its own sources. The generator needs only the runtime: its build never
# compiles generated/, so a broken generated file never stops `make generate` from rewriting it.
RUNTIME := packages/runtime/dist/index.js
GENERATOR := generator/dist/cli.js
CATALOG := packages/mailcodes/dist/index.js
BOUNCE := packages/mailcodes-bounce/dist/index.js

$(DEPS): package-lock.json package.json $(wildcard packages/*/package.json) generator/package.json
	npm ci --no-audit --no-fund
	@touch $@

$(RUNTIME): $(DEPS) packages/runtime/tsconfig.build.json $(wildcard packages/runtime/src/*.ts)
	npm run -s build -w mailcodes-runtime

$(GENERATOR): $(RUNTIME) generator/tsconfig.build.json tsconfig.json $(wildcard generator/src/*.ts generator/src/*/*.ts)
	npm run -s build -w mailcodes-generator

$(CATALOG): $(RUNTIME) packages/mailcodes/tsconfig.build.json $(wildcard generated/*.ts)
	npm run -s build -w mailcodes

$(BOUNCE): $(CATALOG) packages/mailcodes-bounce/tsconfig.build.json packages/mailcodes-bounce/tsconfig.cli.json $(wildcard packages/mailcodes-bounce/src/*.ts packages/mailcodes-bounce/src/*/*.ts)
	npm run -s build -w mailcodes-bounce

build: $(GENERATOR) $(BOUNCE)

# The bounce analyzer for the browser: the bounce package, the catalog and the runtime from their sources, bundled
# for the platform "browser" (analyzer/build.ts says why that proves they need nothing of Node's).
ANALYZER := analyzer/dist/analyzer.js
$(ANALYZER): $(DEPS) $(wildcard analyzer/*.ts generated/*.ts packages/runtime/src/*.ts packages/mailcodes-bounce/src/*.ts packages/mailcodes-bounce/src/*/*.ts)
	npx tsx analyzer/build.ts $@

# The catalog's pages, with the analyzer, in site/ (build output, not committed).
docs: $(GENERATOR) $(ANALYZER)
	$(MAILCODES) docs --spec-dir spec --out-dir site --analyzer $(ANALYZER)

generate: $(GENERATOR)
	$(MAILCODES) generate

# make exits 2 whenever a command fails; CI that must tell stale (1) from invalid (2) calls the CLI itself:
# `node generator/bin/mailcodes.js check` (or `npx mailcodes check` where the generator package is installed).
check: $(GENERATOR)
	$(MAILCODES) check

validate: $(GENERATOR)
	$(MAILCODES) validate

# The project itself, the consumer fixture under a downstream user's strict settings, and the analyzer: side by side
# (each compiler keeps about one core busy); any failure fails the target.
typecheck: $(DEPS)
	npx tsc --noEmit -p . & p=$$!; npx tsc --noEmit -p test/consumer & c=$$!; npx tsc --noEmit -p analyzer & a=$$!; \
	  status=0; for pid in $$p $$c $$a; do wait $$pid || status=1; done; exit $$status

# Formatting and lint rules (Biome, biome.json): `make lint` checks, `make format` writes the fixes it can.
lint: $(DEPS)
	npx biome check .

format: $(DEPS)
	npx biome check --write .

# The fast tests (in process, and the CLIs through their bins, which run the packages' dist/).
test: lint typecheck build
	npx vitest run

# The fast tests, then the slow ones (*.slow.test.ts: killed processes, long property runs, packing and
# installing the packages): what CI runs.
test-all: test
	MAILCODES_TESTS=slow npx vitest run

# The code of today's start (issue 17's speed goals are ratios to it), built once outside the repository.
BENCH_BASE_COMMIT := 36ea546
BENCH_BASE := $(or $(TMPDIR),/tmp)/mailcodes-base-$(BENCH_BASE_COMMIT)
$(BENCH_BASE)/.built:
	sh bench/baseline.sh $(BENCH_BASE_COMMIT) $(BENCH_BASE)

# Generation, watch and bundle sizes → bench/RESULTS.md; classification's agreement and speed, against today's start
# in the same run → bench/CLASSIFY.md.
bench: build $(BENCH_BASE)/.built
	node --expose-gc --import tsx bench/run.ts
	MAILCODES_BASE=$(BENCH_BASE) MAILCODES_BASE_COMMIT=$(BENCH_BASE_COMMIT) npx tsx --tsconfig bench/tsconfig.json bench/classify.ts
