import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Offline plans run the Pulumi runtime, whose state is per process: one file at a time per worker.
    pool: "forks",
    testTimeout: 60_000,
  },
});
