import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `make test` runs the fast tests; `make test-all` runs them and then the slow ones (MAILCODES_TESTS=slow): files
// named *.slow.test.ts (killed processes, long property runs, packing and installing the packages).
const SLOW = "test/**/*.slow.test.ts";
const slow = process.env["MAILCODES_TESTS"] === "slow";
/** The fast tests that count work with test/steps.ts. */
const COUNTED = ["test/linear.test.ts", "test/mail-reader.test.ts"];
const NOT_FAST = ["**/node_modules/**", SLOW];

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  // In this repository the packages are their sources (as tsconfig.json's paths say): the tests need no build.
  resolve: {
    alias: [
      { find: /^mailcodes$/, replacement: here("./generated/index.ts") },
      { find: /^mailcodes\/(.*)$/, replacement: here("./generated/$1.ts") },
      { find: /^mailcodes-bounce$/, replacement: here("./packages/mailcodes-bounce/src/index.ts") },
      { find: /^mailcodes-runtime$/, replacement: here("./packages/runtime/src/index.ts") },
    ],
  },
  test: {
    // Some tests run the native tsc over generated code; this machine has two shared cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: slow
      ? [{ extends: true, test: { name: "slow", include: [SLOW] } }]
      : [
          // Files that count work (test/steps.ts) need the code they count compiled after counting starts: each
          // gets a module graph of its own.
          { extends: true, test: { name: "counted", include: COUNTED } },
          // The rest share their workers' modules: loading the generator (TypeScript's compiler with it) once per
          // worker, not once per file, takes a fifth off the run.
          {
            extends: true,
            test: { name: "fast", include: ["test/**/*.test.ts"], exclude: [...NOT_FAST, ...COUNTED], isolate: false },
          },
        ],
  },
});
