// Every pod the operator renders for a Registry or a Cache — the registry with each storage kind,
// TLS, Redis, autoscaling; the managed Redis; the UI; a cache — is admitted by the API server's Pod
// Security admission at the `restricted` level: each pod template is created as a Pod
// (server-side dry run) in a namespace enforcing it. nodeTrust's agent is the exception by design
// (host paths): it asks for `privileged` (see docs/node-trust.md).
import { resolveRegistry } from "../../lib/admission/resolve";
import { resolveCache } from "../../lib/admission/validate-cache";
import type { CacheSpec } from "../../lib/api/cache-spec";
import type { RegistrySpec } from "../../lib/api/registry-spec";
import { kubectl, testNamespace } from "../support/kubectl";
import { renderRegistryOf, renderCacheOf } from "../support/render";

type PodSpec = { volumes?: object[] };
type Workload = {
  kind: string;
  metadata: { name: string };
  spec?: {
    template?: { metadata?: object; spec: PodSpec };
    volumeClaimTemplates?: { metadata: { name: string } }[];
  };
};
const s3 = { bucket: "images", region: "us-east-1", secretRef: { name: "keys" } };
const REGISTRIES: Record<string, object> = {
  default: {},
  filesystem: { storage: { filesystem: { size: "1Gi" } } },
  s3: { storage: { s3 }, replicas: 3, redis: { managed: { persistence: { size: "1Gi" } } } },
  cosi: { storage: { bucketClassName: "c", bucketAccessClass: "a" } },
  "tls-and-auth": { tls: { selfSigned: {} }, auth: { htpasswd: {} } },
  autoscaled: { storage: { s3 }, autoscaling: { minReplicas: 2, maxReplicas: 5 } },
  "registry-2": { image: "docker.io/library/registry:2.8.3" },
  ui: { ui: { ingress: { host: "ui.example.com" } } },
};

const podTemplates = (objects: Workload[]) =>
  objects
    .filter(o => ["Deployment", "StatefulSet"].includes(o.kind) && o.spec?.template)
    .map(o => {
      const { metadata, spec } = o.spec!.template!;
      // A StatefulSet's claims become volumes of its pods.
      const claims = (o.spec!.volumeClaimTemplates ?? []).map(c => ({
        name: c.metadata.name,
        persistentVolumeClaim: { claimName: `${c.metadata.name}-${o.metadata.name}-0` },
      }));
      const volumes = [...(spec.volumes ?? []), ...claims];
      return {
        name: `${o.kind}/${o.metadata.name}`,
        template: { metadata, spec: { ...spec, volumes } },
      };
    });

describe("rendered pods under Pod Security restricted", () => {
  const ns = testNamespace("restricted");
  afterAll(() => ns.remove());
  const cases = [
    ...Object.entries(REGISTRIES).flatMap(([label, spec]) =>
      podTemplates(
        renderRegistryOf({
          name: "reg",
          namespace: ns.name,
          uid: "uid",
          spec: resolveRegistry({ incoming: { spec } }).spec as RegistrySpec,
        }).objects as Workload[],
      ).map(t => ({ ...t, label })),
    ),
    ...podTemplates(
      renderCacheOf({
        name: "mirror",
        namespace: ns.name,
        uid: "uid",
        spec: resolveCache({
          upstreamRegistryURL: "https://quay.io",
          redis: { managed: {} },
        }) as CacheSpec,
      }).objects as Workload[],
    ).map(t => ({ ...t, label: "cache" })),
  ];

  it("renders the workloads it checks", () => {
    expect(cases.map(c => `${c.label} ${c.name}`)).toEqual(
      expect.arrayContaining([
        "default Deployment/reg",
        "s3 StatefulSet/reg-redis",
        "cache Deployment/mirror",
        "cache StatefulSet/mirror-redis",
      ]),
    );
  });

  it.each(cases.map(c => [`${c.label} ${c.name}`, c] as const))("admits %s", (_, c) => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "check", ...c.template.metadata },
      spec: c.template.spec,
    };
    const r = kubectl(
      ["-n", ns.name, "create", "--dry-run=server", "-f", "-"],
      JSON.stringify(pod),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
