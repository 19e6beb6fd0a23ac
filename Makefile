# Each target installs what it needs: on a fresh clone `make generate` and `make test` are the whole set-up.
.PHONY: generate check validate test typecheck bench

# npm writes node_modules/.package-lock.json on every install, so its age is the install's age.
DEPS := node_modules/.package-lock.json
MAILCODES := node bin/mailcodes.js

$(DEPS): package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

generate: $(DEPS)
	$(MAILCODES) generate

check: $(DEPS)
	$(MAILCODES) check

validate: $(DEPS)
	$(MAILCODES) validate

# The project itself, then the consumer fixture under a downstream user's strict settings.
typecheck: $(DEPS)
	npx tsc --noEmit -p .
	npx tsc --noEmit -p test/consumer

test: typecheck
	npx vitest run

bench: $(DEPS)
	node --expose-gc --import tsx bench/run.ts
