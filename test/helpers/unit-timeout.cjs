/** The unit project's per-test timeout (Jest 30 reads `testTimeout` from the global config only, which fits e2e). */
jest.setTimeout(15_000);
