// Extending the module (docs/extending.md): the example policy capability is added the way a
// policy team adds theirs — listed in capabilities/extensions.ts of a copy of this checkout —
// and that module is built and run (scripts/operator.sh, `pepr dev`) against the real API server:
// its webhook takes Pods, refuses foreign images in labelled namespaces naming the field, lets
// the cluster's own registries' images and unlabelled namespaces through, and the operator's own
// work goes on beside it.
import { rmSync } from "node:fs";
import { POLICY_LABEL } from "../../examples/image-source-policy/label";
import { apply, getJson, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { waitForCondition } from "../support/conditions";
import { registryManifest } from "../support/manifests";
import { extendedModuleTree } from "../support/extended-module";
import { startModule, stopModule } from "../support/module-process";

const RESTRICTED = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  runAsUser: 1000,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
const container = (name: string, image: string) => ({ name, image, securityContext: RESTRICTED });
const pod = (name: string, images: string[], init: string[] = []) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: {
    containers: images.map((image, i) => container(`c${i}`, image)),
    ...(init.length ? { initContainers: init.map((image, i) => container(`i${i}`, image)) } : {}),
  },
});
/** Admission only (server-side dry run): webhooks run, nothing is created. */
const admit = (manifest: object, ns: string) =>
  kubectl(["apply", "--dry-run=server", "-n", ns, "-f", "-"], JSON.stringify(manifest));

describe("a policy capability built into the module", () => {
  let tree = "";
  let policed: { name: string; remove: () => void };
  let free: { name: string; remove: () => void };
  beforeAll(() => {
    tree = extendedModuleTree();
    startModule({}, { tree });
    policed = testNamespace("policed");
    kubectlOk(["label", "namespace", policed.name, `${POLICY_LABEL}=true`]);
    free = testNamespace("unpoliced");
    // The registry's own pods run a Docker Hub image: it lives where the policy does not apply.
    expect(apply(registryManifest("ours", {}), free.name).code).toBe(0);
  }, 400_000);
  afterAll(async () => {
    await stopModule();
    policed?.remove();
    free?.remove();
    if (tree) rmSync(tree, { recursive: true, force: true });
  }, 120_000);

  it("registers the module's webhook for Pods", () => {
    const hooks = getJson<{
      items: { metadata: { name: string }; webhooks: { rules: { resources: string[] }[] }[] }[];
    }>(["validatingwebhookconfigurations"]).items.filter(h =>
      h.metadata.name.startsWith("pepr-registry-operator"),
    );
    const resources = hooks.flatMap(h =>
      h.webhooks.flatMap(w => w.rules.flatMap(r => r.resources)),
    );
    expect(resources).toContain("pods");
  });

  it("refuses a foreign image in a labelled namespace, naming the field", () => {
    const r = admit(pod("foreign", ["docker.io/library/nginx:1.27"]), policed.name);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      "spec.containers[0].image: docker.io/library/nginx:1.27 is not from a registry of this cluster",
    );
  });

  it("names each foreign image, init containers too", () => {
    const ours = `ours.${free.name}.svc:5000/team/app:1`;
    const r = admit(pod("mixed", [ours, "ghcr.io/org/tool:2"], ["busybox:1.37"]), policed.name);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("spec.containers[1].image: ghcr.io/org/tool:2 is not from");
    expect(r.stderr).toContain("spec.initContainers[0].image: busybox:1.37 is not from");
    expect(r.stderr).not.toContain("spec.containers[0].image");
  });

  it("admits the images of the cluster's registries", () => {
    const r = admit(
      pod("ours", [
        `ours.${free.name}.svc:5000/team/app:1`,
        `ours.${free.name}.svc.cluster.local:5000/x:2`,
      ]),
      policed.name,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("leaves namespaces without the label alone", () => {
    const r = admit(pod("anything", ["docker.io/library/nginx:1.27"]), free.name);
    expect(r.code).toBe(0);
  });

  it("runs beside the operator's own work", async () => {
    await waitForCondition(
      free.name,
      "registry",
      "ours",
      { type: "Ready", status: "True" },
      120_000,
    );
  }, 150_000);
});
