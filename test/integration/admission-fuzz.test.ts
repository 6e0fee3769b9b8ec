// Fuzzed admission through the real API server (docs/reliability.md): FUZZ_API_RUNS (default 500)
// objects of every kind from the in-process suites' generators (test/unit/fuzz), sent as
// server-side dry-run creates, 8 at a time, with strict, warning and ignoring field validation.
// The API server answers every one; no answer is a 5xx, a webhook call that failed or timed out,
// or the webhook's "operator error"; every refusal names a field path; every object it accepts
// renders. FUZZ_SEED replays a run (the seed is printed with any failure).
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { omit } from "ramda";
import { Kube, loadKubeconfig, pool, sleep } from "../../bench/operator/kube";
import { withRegistryDefaults } from "../../lib/admission/resolve";
import { RegistrySpec } from "../../lib/api/registry-spec";
import { apply, getJson, kubectl, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";
import type { World } from "../unit/fuzz/admission";
import { API_VERSION, FUZZ_KINDS, fuzzObject, type FuzzKind, type Obj } from "../unit/fuzz/objects";
import {
  renderCacheObject,
  renderCredentialObject,
  renderPrunerObject,
  renderRegistryObject,
  renderTemplateObject,
  type Observed,
} from "../unit/fuzz/render";
import { brief, namesFieldOf } from "../unit/fuzz/property";
import { startsWithPathIn } from "../support/field-path";
import { fuzzApiRuns, fuzzSeed } from "../unit/fuzz/knobs";

const RUNS = fuzzApiRuns();
const SEED = fuzzSeed();
const CONCURRENCY = 8;
const MAX_BYTES = 1024 * 1024;

const PLURAL: Record<FuzzKind, string> = {
  Registry: "registries",
  RegistryTemplate: "registrytemplates",
  Cache: "caches",
  ImagePullSecret: "imagepullsecrets",
  ImagePushSecret: "imagepushsecrets",
  ImagePruner: "imagepruners",
};
const FIELD_VALIDATION = ["Strict", "Warn", "Ignore"] as const;

/**
 * Whether a refusal names a field of the object sent, as the in-process suites judge a problem
 * (namesFieldOf): the first path after `is invalid: ` (the API server's list opens with `[`; our
 * webhook's message has the same form), or a path the object has in `unknown field "…"`, or, for a value the
 * API server cannot decode, in `Go struct field ObjectMeta.…`.
 */
function namesField(kind: FuzzKind, sent: Obj, message: string): boolean {
  const invalid = message.indexOf("is invalid: ");
  if (invalid >= 0) {
    const rest = message.slice(invalid + "is invalid: ".length).replace(/^\[/, "");
    if (namesFieldOf(kind, sent, rest)) return true;
  }
  const undecodable = /Go struct field ObjectMeta\.(\S+) of type/.exec(message);
  if (undecodable) return namesFieldOf(kind, sent, `metadata.${undecodable[1]}`, /^$/);
  // An unknown field is none of the schema's: it must be one the object has.
  return [...message.matchAll(/unknown field "/g)].some(m =>
    startsWithPathIn(sent, message.slice(m.index + m[0].length), /^"/, () => false),
  );
}
/** What an answer must never say: the webhook was not reached, timed out, or threw. */
const BROKEN = /failed calling webhook|Internal error|context deadline|operator error/i;

/** A plausible cluster for rendering what is accepted: nothing found yet, Fixed UIDs. */
const OBSERVED: Observed = {
  uidMode: "Fixed",
  ca: false,
  htpasswd: false,
  monitoring: false,
  bucket: false,
  readOnly: false,
  redisDown: false,
  readyEndpoints: 0,
};

interface Sent {
  kind: FuzzKind;
  body: Obj;
  fieldValidation: (typeof FIELD_VALIDATION)[number];
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

describe("fuzzed admission through the API server", () => {
  const ns = testNamespace("admission-fuzz");
  const run = randomBytes(3).toString("hex");
  const template = `fuzz-tpl-${run}`;
  const registry = "fuzz-reg";
  let kube: Kube;
  let world: World;

  beforeAll(() => {
    kube = new Kube(loadKubeconfig(), CONCURRENCY);
    // What the objects name: a template, and a Registry (Unmanaged: nothing runs) that lets
    // credentials of any namespace in.
    for (const manifest of [
      { apiVersion: API_VERSION, kind: "RegistryTemplate", metadata: { name: template }, spec: {} },
      registryManifest(registry, {
        managementState: "Unmanaged",
        auth: { allowedNamespaces: { from: "All" } },
      }),
    ]) {
      const r = apply(manifest, ns.name);
      if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
    }
    const stored = getJson<{ spec: Obj }>(["-n", ns.name, "registry", registry]);
    world = {
      operation: "CREATE",
      namespace: ns.name,
      templates: {},
      namespaceLabels: {},
      registry: { spec: RegistrySpec.parse(withRegistryDefaults(stored.spec)) },
    };
  });

  afterAll(() => {
    kubectl(["delete", "registrytemplate", template, "--ignore-not-found", "--wait=false"]);
    ns.remove();
    kube?.close();
  });

  /** The generated objects, as a client would send them: our kind, a fresh name, real references. */
  function requests(): Sent[] {
    const perKind = Math.ceil(RUNS / FUZZ_KINDS.length);
    return FUZZ_KINDS.flatMap((kind, k) =>
      fc
        .sample(
          // Below etcd's limit (1.5 MiB), which no stored object exceeds; Pepr's webhook server
          // takes reviews of at most 2 MB.
          fuzzObject(kind, ["tpl"]).filter(o => Buffer.byteLength(JSON.stringify(o)) < MAX_BYTES),
          { numRuns: perKind, seed: SEED + k },
        )
        .map((obj, i): Sent => {
          const body: Obj = { ...obj, apiVersion: API_VERSION, kind };
          // The generated metadata goes too (labels, annotations, …), under a fresh name in the
          // request's namespace.
          const meta = isObj(obj.metadata)
            ? omit(["name", "namespace", "generateName"], obj.metadata)
            : {};
          body.metadata = { ...meta, name: `fuzz-${run}-${kind.toLowerCase()}-${i}` };
          if (body.template === "tpl") body.template = template;
          const ref = isObj(body.spec) && isObj(body.spec.registryRef) ? body.spec.registryRef : {};
          if (typeof ref.name === "string" && i % 2 === 0) ref.name = registry;
          if (typeof ref.namespace === "string" && i % 4 === 0) ref.namespace = ns.name;
          return { kind, body, fieldValidation: FIELD_VALIDATION[i % FIELD_VALIDATION.length] };
        }),
    );
  }

  /** What the API server answered, and why that breaks a property (if it does). */
  async function send(sent: Sent): Promise<{ accepted: boolean; problem?: string }> {
    const path =
      sent.kind === "RegistryTemplate"
        ? `/apis/${API_VERSION}/${PLURAL[sent.kind]}`
        : `/apis/${API_VERSION}/namespaces/${ns.name}/${PLURAL[sent.kind]}`;
    let r: { status: number; body: string };
    try {
      // Throttled by the API server's priority and fairness (429): asked again, a little later.
      for (let attempt = 1; ; attempt++) {
        r = await kube.raw(
          "POST",
          `${path}?dryRun=All&fieldValidation=${sent.fieldValidation}`,
          sent.body,
        );
        if (r.status !== 429 || attempt === 10) break;
        await sleep(500 * attempt);
      }
    } catch (err) {
      return { accepted: false, problem: `no answer: ${String(err)}` };
    }
    let answer: Obj = {};
    try {
      answer = JSON.parse(r.body) as Obj;
    } catch {
      // not JSON: the message is the body
    }
    const message = typeof answer.message === "string" ? answer.message : r.body;
    const accepted = r.status >= 200 && r.status < 300;
    const fail = (problem: string) => ({ accepted, problem: `HTTP ${r.status}: ${problem}` });
    if (r.status >= 500 || BROKEN.test(message)) return fail(message);
    if (accepted) {
      try {
        await renderAccepted(sent.kind, answer);
        return { accepted };
      } catch (err) {
        return fail(`accepted, but does not render: ${String(err)}`);
      }
    }
    if (![400, 403, 422].includes(r.status)) return fail(message);
    // As the API server read it: NaN is null on the wire, undefined fields are gone.
    return namesField(sent.kind, JSON.parse(JSON.stringify(sent.body)) as Obj, message)
      ? { accepted }
      : fail(`the refusal names no field of the object: ${message}`);
  }

  async function renderAccepted(kind: FuzzKind, stored: Obj): Promise<void> {
    if (kind === "Registry") return renderRegistryObject(stored, world, OBSERVED);
    if (kind === "RegistryTemplate") return renderTemplateObject(stored, world, OBSERVED);
    if (kind === "Cache") return renderCacheObject(stored, world, OBSERVED);
    if (kind === "ImagePruner") return renderPrunerObject(stored, world);
    return renderCredentialObject(kind, stored, world);
  }

  it(`answers ${RUNS}+ generated objects soundly`, async () => {
    const sent = requests();
    const answers = await pool(sent, CONCURRENCY, s => send(s));
    const failures = answers.flatMap((a, i) =>
      a.problem
        ? [
            `${sent[i].kind} (${sent[i].fieldValidation}): ${a.problem}\n  sent: ${brief(sent[i].body, 600)}`,
          ]
        : [],
    );
    expect({ seed: SEED, failures: failures.slice(0, 10), count: failures.length }).toEqual({
      seed: SEED,
      failures: [],
      count: 0,
    });
    expect(sent.length).toBeGreaterThanOrEqual(RUNS);
    // Both sides are tested: every kind has objects accepted (and so rendered), and some refused.
    const accepted = (kind: FuzzKind) =>
      answers.filter((a, i) => a.accepted && sent[i].kind === kind).length;
    expect(FUZZ_KINDS.filter(kind => accepted(kind) === 0)).toEqual([]);
    expect(answers.filter(a => !a.accepted).length).toBeGreaterThan(0);
  }, 600_000);
});
