// Fuzzed admission of ImagePullSecrets and ImagePushSecrets (docs/reliability.md): an accepted
// one gets its Secret and its rotation times.
import { fuzzSuite } from "./property";
import { renderCredentialObject } from "./render";

describe("ImagePullSecret", () => {
  fuzzSuite("ImagePullSecret", (obj, world) =>
    renderCredentialObject("ImagePullSecret", obj, world),
  );
});

describe("ImagePushSecret", () => {
  fuzzSuite("ImagePushSecret", (obj, world) =>
    renderCredentialObject("ImagePushSecret", obj, world),
  );
});
