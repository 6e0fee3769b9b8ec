// Three jest projects: `unit` (pure code, no cluster), `integration` (against the local cluster
// that scripts/test/all.sh brings up, with the module running) and `faults` (the module killed and
// started again by the suite itself). Chainsaw suites live in chainsaw/.
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] };

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
    },
    {
      displayName: "integration",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
    },
    {
      // Suites that stop and start the module themselves: run last, with no other module running.
      displayName: "faults",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/faults/**/*.test.ts"],
    },
  ],
};
