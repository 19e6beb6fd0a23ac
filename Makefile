# Each target installs what it needs: on a fresh clone `make generate` and `make test` are the whole set-up.
.PHONY: generate check validate test test-all typecheck bench build

# npm writes node_modules/.package-lock.json on every install, so its age is the install's age.
DEPS := node_modules/.package-lock.json
MAILCODES := node bin/mailcodes.js
# The generator compiled by tsc: what bin/mailcodes.js runs (and what the published package carries). `npm run
# build` compiles the catalog package (generated/) and the bounce package first: `mailcodes classify` uses both.
BUILD := dist/cli.js
BUILD_INPUTS := tsconfig.json tsconfig.build.json $(wildcard generator/*.ts generated/*.ts packages/*/tsconfig.build.json packages/mailcodes-bounce/src/*.ts packages/mailcodes-bounce/src/*/*.ts)

$(DEPS): package-lock.json package.json $(wildcard packages/*/package.json)
	npm ci --no-audit --no-fund
	@touch $@

$(BUILD): $(DEPS) $(BUILD_INPUTS)
	npm run -s build

build: $(BUILD)

generate: $(BUILD)
	$(MAILCODES) generate

# make exits 2 whenever a command fails; CI that must tell stale (1) from invalid (2) calls the CLI itself:
# `node bin/mailcodes.js check` (or `npx mailcodes check` where the generator package is installed).
check: $(BUILD)
	$(MAILCODES) check

validate: $(BUILD)
	$(MAILCODES) validate

# The project itself, then the consumer fixture under a downstream user's strict settings.
typecheck: $(DEPS)
	npx tsc --noEmit -p .
	npx tsc --noEmit -p test/consumer

# The fast tests (in process, and the CLI through bin/, which runs dist/).
test: typecheck $(BUILD)
	npx vitest run

# The fast tests, then the slow ones (*.slow.test.ts: killed processes, long property runs, packing and
# installing the packages): what CI runs.
test-all: test
	MAILCODES_TESTS=slow npx vitest run

# Generation, watch and bundle sizes → bench/RESULTS.md; classification's agreement and speed → bench/CLASSIFY.md.
bench: $(BUILD)
	node --expose-gc --import tsx bench/run.ts
	npx tsx --tsconfig bench/tsconfig.json bench/classify.ts
