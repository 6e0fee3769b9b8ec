// What reconcile makes of an accepted object, through the real render entry points (lib/render),
// with an observed state a cluster could report: the plan's resolve step, the children, the
// generated Secrets' first pass and the status fields. Each throws when something does not render.
import fc from "fast-check";
import { parse } from "yaml";
import { resolveRegistry, withRegistryDefaults } from "../../../lib/admission/resolve";
import { resolveCache } from "../../../lib/admission/validate-cache";
import { CacheSpec } from "../../../lib/api/cache-spec";
import {
  CredentialSpec,
  DEFAULT_GRACE_PERIOD,
  DEFAULT_ROTATION_INTERVAL,
} from "../../../lib/api/credentials";
import { durationSeconds } from "../../../lib/api/fields/duration";
import { nextRun } from "../../../lib/api/fields/cron";
import { isDns1123Subdomain } from "../../../lib/api/fields/kube";
import type { KubeObject } from "../../../lib/kubernetes/objects";
import { DEFAULT_PRUNER, ImagePrunerSpec } from "../../../lib/api/pruner";
import { RegistrySpec } from "../../../lib/api/registry-spec";
import type { TemplateLike } from "../../../lib/api/template-like";
import { CONFIG_PATH, registryVersion } from "../../../lib/api/version";
import { storageDriver } from "../../../lib/dependencies/storage/index";
import { servesTls } from "../../../lib/dependencies/tls/serving";
import { autoscaledReplicas } from "../../../lib/render/autoscaler";
import { cacheContext, renderCache } from "../../../lib/render/cache";
import { renderContext, type RenderContext } from "../../../lib/render/context";
import { registryHost } from "../../../lib/render/credentials/docker-config";
import {
  nextChange,
  parseRotation,
  PROPAGATION_MS,
} from "../../../lib/render/credentials/rotation";
import { CREDENTIAL_KEYS, credentialSecret } from "../../../lib/render/credentials/secret";
import { registryUrl } from "../../../lib/render/ingress";
import { childNames, serviceHost } from "../../../lib/render/names";
import { renderPruner } from "../../../lib/render/pruner/cronjob";
import { gcJob, type PodTemplate } from "../../../lib/render/pruner/gc-job";
import { renderRegistry, type Rendered } from "../../../lib/render/registry";
import { imageHistory } from "../../../lib/render/status/image-history";
import { registryStatus, type DeploymentState } from "../../../lib/render/status/registry-status";
import type { Obj } from "./objects";
import type { World } from "./admission";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const HTPASSWD = "push/ns/ci/1:$2y$05$abcdefghijklmnopqrstuu5Q7Y1uPZ1Q2K3mY0Hh8x0rQm3r7pF6\n";

/** What the operator found in the cluster for one reconcile. */
export interface Observed {
  /** What `podSecurity.uid: Auto` resolves to here (OpenShift or not). */
  uidMode: "Fixed" | "Assigned";
  ca: boolean;
  htpasswd: boolean;
  monitoring: boolean;
  bucket: boolean;
  clusterIP?: string;
  readOnly: boolean;
  redisDown: boolean;
  liveReplicas?: number;
  rollbackTo?: string;
  deployment?: DeploymentState;
  readyEndpoints: number;
  lastHealthyImage?: string;
}

export const observed: fc.Arbitrary<Observed> = fc
  .record(
    {
      uidMode: fc.constantFrom("Fixed", "Assigned"),
      ca: fc.boolean(),
      htpasswd: fc.boolean(),
      monitoring: fc.boolean(),
      bucket: fc.boolean(),
      clusterIP: fc.constantFrom("10.96.0.10", "fd00::10"),
      readOnly: fc.boolean(),
      redisDown: fc.boolean(),
      liveReplicas: fc.integer({ min: 0, max: 200 }),
      rollbackTo: fc.constantFrom("registry:2.8.3", "docker.io/library/registry:3.0.0"),
      deployment: fc.record(
        {
          generation: fc.nat(5),
          observedGeneration: fc.nat(5),
          replicas: fc.nat(5),
          updatedReplicas: fc.nat(5),
          readyReplicas: fc.nat(5),
          availableReplicas: fc.nat(5),
          conditions: fc.constantFrom<NonNullable<DeploymentState["conditions"]>>(
            [],
            [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }],
          ),
        },
        { requiredKeys: [] },
      ),
      readyEndpoints: fc.nat(5),
      lastHealthyImage: fc.constantFrom("registry:2.8.3", "registry:3.0.0"),
    },
    {
      requiredKeys: ["uidMode", "ca", "htpasswd", "monitoring", "bucket", "readOnly", "redisDown"],
    },
  )
  .map(o => ({ readyEndpoints: 0, ...o }));

const NOW = new Date("2030-06-01T12:00:00Z");
const UID = "5f0c7a2e-0000-4000-8000-000000000001";

/** The name the API server stored: a name that is none was refused by it before the webhook. */
const storedName = (obj: Obj, fallback: string) => {
  const name = obj.metadata?.name;
  return typeof name === "string" && isDns1123Subdomain(name) ? name : fallback;
};

function fail(what: string, detail: unknown): never {
  throw new Error(`${what}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
}

/** The rendered children are objects the API server could be sent. */
function checkObjects(objects: KubeObject[], namespace: string): void {
  for (const o of objects) {
    if (typeof o.apiVersion !== "string" || typeof o.kind !== "string")
      fail("a child without apiVersion or kind", o);
    if (typeof o.metadata?.name !== "string" || !o.metadata.name)
      fail(`a ${o.kind} without a name`, o.metadata);
    if (o.metadata.namespace !== undefined && o.metadata.namespace !== namespace)
      fail(`a ${o.kind} in another namespace`, o.metadata);
  }
  JSON.stringify(objects);
}

/** The generated Secrets' first pass (nothing live yet), in order, as the engine runs them. */
async function generateAll(rendered: Rendered): Promise<void> {
  const earlier = new Map<string, Record<string, string>>();
  for (const secret of rendered.generated.wanted) {
    const g = await secret.generate(undefined, earlier, NOW);
    if (!g) continue;
    for (const [k, v] of Object.entries(g.data))
      if (typeof v !== "string") fail(`Secret ${secret.metadata.name} key ${k} is not a string`, v);
    earlier.set(secret.metadata.name, g.data);
  }
}

type WorkloadSpec = {
  podSecurity?: RegistrySpec["podSecurity"];
  image?: string;
  replicas?: number;
  autoscaling?: RegistrySpec["autoscaling"];
};

/**
 * The workload part shared by a Registry and a Cache (lib/controllers/workload.ts): observe's
 * adjustments of the spec, render, the generated Secrets, the status.
 */
async function renderWorkload<S extends WorkloadSpec>(
  spec: S,
  o: Observed,
  render: (
    spec: S,
    found: Record<string, Record<string, string>>,
  ) => { ctx: RenderContext; rendered: Rendered },
): Promise<void> {
  let s = spec;
  if ((s.podSecurity?.uid ?? "Auto") === "Auto")
    s = { ...s, podSecurity: { ...s.podSecurity, uid: o.uidMode } };
  if (o.rollbackTo) s = { ...s, image: o.rollbackTo };
  if (s.autoscaling) s = { ...s, replicas: autoscaledReplicas(s.autoscaling, o.liveReplicas) };
  const found: Record<string, Record<string, string>> = {
    ...(o.ca ? { CertificateReady: { "ca.crt": CA } } : {}),
    ...(o.htpasswd ? { AuthReady: { htpasswd: HTPASSWD } } : {}),
    ...(o.monitoring
      ? { MonitoringReady: { ServiceMonitor: "served", PrometheusRule: "served" } }
      : {}),
    ...(o.clusterIP ? { NodeTrustReady: { clusterIP: o.clusterIP } } : {}),
    ...(o.bucket
      ? {
          StorageReady: {
            bucket: "b",
            region: "r",
            endpoint: "https://s3.example",
            accesskey: "a",
            secretkey: "s",
          },
        }
      : {}),
  };
  const { ctx, rendered } = render(s, found);
  checkObjects(rendered.objects, ctx.namespace);
  parse(rendered.configYaml);
  await generateAll(rendered);
  const status = registryStatus({
    spec: ctx.spec,
    storage: { ready: true, reason: "Ready", message: "ok" },
    dependencies: [],
    applyFailures: [],
    deployment: o.deployment,
    readyEndpoints: o.readyEndpoints,
    url: registryUrl(ctx.spec, ctx.names.service, ctx.namespace),
  });
  imageHistory(ctx.spec.image!, status.conditions, o.lastHealthyImage);
  JSON.stringify(status);
}

/** What a Registry's and a Cache's render take besides their context and what providers found. */
const extras = (o: Observed) => ({
  readOnly: o.readOnly,
  unusable: o.redisDown ? { redis: "Redis does not answer" } : {},
});

/** A Registry's stored spec as reconcile resolves and renders it (lib/controllers/registry.ts). */
export async function renderRegistryObject(obj: Obj, world: World, o: Observed): Promise<void> {
  const parsed = RegistrySpec.safeParse(withRegistryDefaults((obj.spec ?? {}) as Obj));
  if (!parsed.success) fail("accepted, but reconcile finds the spec invalid", parsed.error.issues);
  const name = storedName(obj, "fuzz");
  await renderWorkload(parsed.data, o, (spec, found) => {
    const ctx = renderContext(name, world.namespace, UID, spec);
    return { ctx, rendered: renderRegistry(ctx, { ...extras(o), found }) };
  });
}

/** A template as the Registries naming it are rendered: one with no fields of its own. */
export async function renderTemplateObject(obj: Obj, world: World, o: Observed): Promise<void> {
  const template: TemplateLike = { name: "tpl", resourceVersion: "1", spec: obj.spec };
  const incoming = { metadata: { name: "uses-template" }, template: "tpl", spec: {} };
  const resolved = resolveRegistry({ incoming, template }).spec;
  await renderRegistryObject({ ...incoming, spec: resolved }, world, o);
}

/** A Cache (lib/controllers/cache.ts). */
export async function renderCacheObject(obj: Obj, world: World, o: Observed): Promise<void> {
  const parsed = CacheSpec.safeParse(resolveCache(obj.spec));
  if (!parsed.success) fail("accepted, but reconcile finds the spec invalid", parsed.error.issues);
  const name = storedName(obj, "fuzz");
  await renderWorkload(parsed.data, o, (spec, found) => {
    const ctx = cacheContext(name, world.namespace, UID, spec);
    return { ctx, rendered: renderCache(ctx, spec, { ...extras(o), found }) };
  });
}

const ms = (d: string) => (durationSeconds(d) ?? 0) * 1000;

/**
 * An ImagePullSecret or ImagePushSecret (lib/controllers/credentials.ts): its Secret's first
 * pass, and the rotation times its status reports.
 */
export async function renderCredentialObject(
  kind: "ImagePullSecret" | "ImagePushSecret",
  obj: Obj,
  world: World,
): Promise<void> {
  const parsed = CredentialSpec.safeParse(obj.spec);
  if (!parsed.success) fail("accepted, but reconcile finds the spec invalid", parsed.error.issues);
  const spec = parsed.data;
  if (!world.registry) return; // Ready False RegistryNotFound: nothing to render
  const ref = {
    name: spec.registryRef.name,
    namespace: spec.registryRef.namespace ?? world.namespace,
  };
  const regSpec = world.registry.spec;
  const url = registryUrl(regSpec, childNames(ref.name).service, ref.namespace);
  const intervalMs = ms(spec.rotationInterval ?? DEFAULT_ROTATION_INTERVAL);
  const policy = {
    intervalMs,
    graceMs: Math.min(ms(spec.gracePeriod ?? DEFAULT_GRACE_PERIOD), intervalMs),
    propagationMs: PROPAGATION_MS,
  };
  const secret = credentialSecret({
    kind,
    name: storedName(obj, "fuzz"),
    namespace: world.namespace,
    uid: UID,
    registry: { ...ref, host: registryHost(url), ca: CA },
    policy,
    registryEntries: new Set(),
  });
  const generated = await secret.generate(undefined, new Map(), NOW);
  const state = parseRotation(generated?.data[CREDENTIAL_KEYS.rotation]);
  if (!state) fail("the first pass wrote no rotation state", generated?.data);
  // The status: when the password is replaced, and when to look again.
  new Date(Date.parse(state.issuedAt) + policy.intervalMs).toISOString();
  if (!Number.isFinite(nextChange(state, policy))) fail("no next rotation time", policy);
}

/** A registry's Deployment pod template, for the garbage collection Job. */
const REGISTRY_POD = (() => {
  const r = renderRegistry(
    renderContext("reg", "ns", UID, RegistrySpec.parse(withRegistryDefaults({}))),
  );
  const d = r.objects.find(x => x.kind === "Deployment") as unknown as {
    spec: { template: PodTemplate };
  };
  return d.spec.template;
})();

/** An ImagePruner (lib/controllers/pruner.ts): its CronJob, program, GC Job and next run. */
export async function renderPrunerObject(obj: Obj, world: World): Promise<void> {
  const parsed = ImagePrunerSpec.safeParse(obj.spec ?? {});
  if (!parsed.success) fail("accepted, but reconcile finds the spec invalid", parsed.error.issues);
  const spec = parsed.data;
  const name = storedName(obj, "fuzz");
  const registry = world.registry?.spec;
  if (!registry) return; // Ready False: nothing runs
  const names = childNames(spec.registryRef.name);
  const tls = servesTls(registry);
  const objects = renderPruner({
    name,
    namespace: world.namespace,
    uid: UID,
    spec,
    target: {
      registry: spec.registryRef.name,
      url: `${tls ? "https" : "http"}://${serviceHost({ spec: registry, names, namespace: world.namespace })}`,
      ...(tls ? { caConfigMap: names.caBundle } : {}),
      needsLogin: !!registry.auth,
    },
  });
  objects.push(
    gcJob({
      pruner: name,
      namespace: world.namespace,
      uid: UID,
      registry: spec.registryRef.name,
      registryPod: REGISTRY_POD,
      configPath: CONFIG_PATH[registryVersion(registry.image ?? "").format],
      suspend: true,
      sameNode: storageDriver(registry).driver.singleWriter(registry),
    }),
  );
  checkObjects(objects, world.namespace);
  const schedule = spec.schedule ?? DEFAULT_PRUNER.schedule;
  if (!spec.suspend) nextRun(schedule, NOW)?.toISOString();
}
