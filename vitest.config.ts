import { defineConfig } from "vitest/config";

// `make test` runs the fast tests; `make test-all` (MAILCODES_TESTS=all) adds the slow ones: files named
// *.slow.test.ts (killed processes, long property runs, packing and installing the packages).
const all = process.env["MAILCODES_TESTS"] === "all";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: all ? ["**/node_modules/**"] : ["**/node_modules/**", "test/**/*.slow.test.ts"],
    // Some tests run the native tsc over generated code; this machine has two shared cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
