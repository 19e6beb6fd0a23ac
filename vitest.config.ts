import { defineConfig } from "vitest/config";

// `make test` runs the fast tests; `make test-all` runs them and then the slow ones (MAILCODES_TESTS=slow): files
// named *.slow.test.ts (killed processes, long property runs, packing and installing the packages).
const SLOW = "test/**/*.slow.test.ts";
const slow = process.env["MAILCODES_TESTS"] === "slow";

export default defineConfig({
  test: {
    include: slow ? [SLOW] : ["test/**/*.test.ts"],
    exclude: slow ? ["**/node_modules/**"] : ["**/node_modules/**", SLOW],
    // Some tests run the native tsc over generated code; this machine has two shared cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
