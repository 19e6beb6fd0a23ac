import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Some tests run the native tsc over generated code; this machine has two shared cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
