// Four jest projects: `unit` (pure code, no cluster), `integration` (against the local cluster
// that scripts/test/all.sh brings up, with the module running), `faults` (the module killed and
// started again by the suite itself) and `packaging` (the built chart installed with Helm into a
// cluster of its own). Chainsaw suites live in chainsaw/.
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
    {
      // Brings up and removes its own cluster: the install it checks is a fresh one.
      displayName: "packaging",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/packaging/**/*.test.ts"],
    },
  ],
};
