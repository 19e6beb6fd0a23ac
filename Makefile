# Each target installs what it needs: on a fresh clone `make generate` and `make test` are the whole set-up.
.PHONY: generate check validate test test-all typecheck bench build

# npm writes node_modules/.package-lock.json on every install, so its age is the install's age.
DEPS := node_modules/.package-lock.json
MAILCODES := node bin/mailcodes.js
# The generator compiled by tsc, which bin/mailcodes.js runs when it is current (it starts faster than the sources).
BUILD := dist/cli.js

$(DEPS): package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

$(BUILD): $(DEPS) tsconfig.json tsconfig.build.json $(wildcard generator/*.ts)
	rm -rf dist
	npx tsc -p tsconfig.build.json

build: $(BUILD)

generate: $(BUILD)
	$(MAILCODES) generate

check: $(BUILD)
	$(MAILCODES) check

validate: $(BUILD)
	$(MAILCODES) validate

# The project itself, then the consumer fixture under a downstream user's strict settings.
typecheck: $(DEPS)
	npx tsc --noEmit -p .
	npx tsc --noEmit -p test/consumer

# The tests that start bin/mailcodes.js run the compiled generator; the others import the sources.
test: typecheck $(BUILD)
	npx vitest run

# The fast tests, then the slow ones (*.slow.test.ts): what CI runs.
test-all: test
	MAILCODES_TESTS=slow npx vitest run

bench: $(BUILD)
	node --expose-gc --import tsx bench/run.ts
