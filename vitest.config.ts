import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `make test` runs the fast tests; `make test-all` runs them and then the slow ones (MAILCODES_TESTS=slow): files
// named *.slow.test.ts (killed processes, long property runs, packing and installing the packages).
const SLOW = "test/**/*.slow.test.ts";
const slow = process.env["MAILCODES_TESTS"] === "slow";

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
    include: slow ? [SLOW] : ["test/**/*.test.ts"],
    exclude: slow ? ["**/node_modules/**"] : ["**/node_modules/**", SLOW],
    // Some tests run the native tsc over generated code; this machine has two shared cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
