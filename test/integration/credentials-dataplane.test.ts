// The data plane with authentication: the real registry runs from what the operator applied for a
// Registry with an ImagePushSecret and an ImagePullSecret (config, htpasswd Secret, certificate).
// Anonymous clients get 401; the credentials decoded from the generated Secrets push and pull.
// A rotation hands out a new password the registry already takes, the old one keeps working
// through the grace period and fails after, and the registry reloads its htpasswd file without a
// restart (the harness refreshes the mounted file in place, as the kubelet does). A deleted
// credential stops working.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { apply, eventually, getJson, kubectlOk, testNamespace } from "../support/kubectl";
import { getObject, waitForCondition } from "../support/conditions";
import { crane } from "../support/dataplane/crane";
import { roundTrip, pullCompare } from "../support/dataplane/image-roundtrip";
import { clusterDeployment, planFromCluster } from "../support/dataplane/lookup";
import { OciLayout } from "../support/dataplane/oci-layout";
import { runPod, type RunningPod } from "../support/dataplane/pod-run";
import type { PlannedMount } from "../support/dataplane/pod-plan";

const API = "registry-operator.dev/v1alpha1";

describe("data plane: htpasswd authentication with rotating credentials", () => {
  const ns = testNamespace("cred-dp");
  const name = "auth-dp";
  const host = `${name}.${ns.name}.svc:5000`;
  const scratch = mkdtempSync("/var/tmp/registry-operator-auth-");
  let pod: RunningPod;
  let kubelet: NodeJS.Timeout | undefined;
  afterAll(async () => {
    if (kubelet) clearInterval(kubelet);
    await pod?.stop();
    rmSync(scratch, { recursive: true, force: true });
    ns.remove();
  });

  /** A Docker config directory for crane, from a Secret's key (empty: anonymous). */
  function dockerConfig(label: string, config?: string): Record<string, string> {
    const dir = join(scratch, `docker-${label}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.json"), config ?? "{}");
    return { ...pod.craneEnv, DOCKER_CONFIG: dir };
  }
  const secretKey = (secret: string, key: string) =>
    Buffer.from(
      getJson<{ data: Record<string, string> }>(["-n", ns.name, "secret", secret]).data[key],
      "base64",
    ).toString();
  const username = (kind: string, n: string) =>
    getObject<{ status?: { username?: string } }>(ns.name, kind, n).status?.username;
  const digest = (env: Record<string, string>) => crane(["digest", `${host}/team/app:v1`], env);
  /** Waits until the registry refuses `env`'s credentials (401). */
  const refusedWithin = (env: Record<string, string>, ms: number, what: string) =>
    eventually(
      async () => {
        try {
          await digest(env);
          return undefined;
        } catch (err) {
          return /UNAUTHORIZED|401/.test(String(err)) ? true : undefined;
        }
      },
      ms,
      what,
    );
  const authMount = async (): Promise<PlannedMount> =>
    (await planFromCluster(ns.name, name)).mounts.find(m => m.volume === "auth")!;

  it("refuses anonymous clients with 401", async () => {
    for (const manifest of [
      {
        kind: "Registry",
        metadata: { name },
        spec: { image: "registry:3.0.0", tls: { selfSigned: {} } },
      },
      {
        kind: "ImagePushSecret",
        metadata: { name: "push" },
        spec: { registryRef: { name }, rotationInterval: "1m", gracePeriod: "20s" },
      },
      { kind: "ImagePullSecret", metadata: { name: "pull" }, spec: { registryRef: { name } } },
    ])
      expect(apply({ apiVersion: API, ...manifest }, ns.name).code).toBe(0);
    for (const kind of ["imagepushsecret", "imagepullsecret"])
      await waitForCondition(ns.name, kind, kind.replace("image", "").replace("secret", ""), {
        type: "Ready",
        status: "True",
      });
    const plan = await planFromCluster(ns.name, name);
    pod = await runPod(plan);
    // The kubelet refreshes a mounted Secret when it changes; here every second.
    let served = JSON.stringify(await authMount());
    kubelet = setInterval(() => {
      void authMount()
        .then(mount => {
          const now = JSON.stringify(mount);
          if (now === served) return;
          served = now;
          pod.refreshVolume(mount);
        })
        .catch(() => undefined);
    }, 1000);
    expect((await pod.api("/v2/")).status).toBe(401);
    await expect(digest(dockerConfig("anonymous"))).rejects.toThrow(/UNAUTHORIZED|401/);
  });

  it("pushes with the push Secret's config.json and pulls with the pull Secret's .dockerconfigjson", async () => {
    const push = dockerConfig("push-1", secretKey("push", "config.json"));
    const layout = new OciLayout(join(scratch, "layout"));
    const root = layout.image([100, 32 * 1024]);
    const trip = await roundTrip(layout, root, `${host}/team/app:v1`, scratch, push);
    expect(trip.digests).toEqual({ pushed: root.digest, served: root.digest, pulled: root.digest });
    const pull = dockerConfig("pull", secretKey("pull", ".dockerconfigjson"));
    const pulled = await pullCompare(layout, root, `${host}/team/app:v1`, scratch, pull);
    expect(pulled.digests.pulled).toBe(root.digest);
    expect(pulled.missing).toEqual([]);
    // The Secret's hostname and ca.crt are what a client needs to reach and trust it.
    expect(secretKey("pull", "hostname")).toBe(host);
    expect(secretKey("pull", "ca.crt")).toBe(readFileSync(pod.craneEnv.SSL_CERT_FILE, "utf8"));
  });

  it("rotates: the new password works at once, the old one through the grace period and not after, with no restart", async () => {
    const template = JSON.stringify(clusterDeployment(ns.name, name)?.spec.template);
    const before = username("imagepushsecret", "push");
    const old = dockerConfig("push-old", secretKey("push", "config.json"));
    const rotated = await eventually(
      () => {
        const now = username("imagepushsecret", "push");
        return now !== before ? now : undefined;
      },
      200_000,
      "a rotated push password",
    );
    expect(rotated).toBe(`push/${ns.name}/push/2`);
    const rotatedAt = Date.now();
    const fresh = dockerConfig("push-new", secretKey("push", "config.json"));
    // Handed out only once the registry has held it for the propagation delay (its pods had time to
    // see the file; 5 s in npm test, where the harness refreshes it every second): it works at once.
    expect(await digest(fresh)).toBeTruthy();
    // The old password still works within its grace period (20 s).
    expect(await digest(old)).toBeTruthy();
    // ... and stops working after it.
    await refusedWithin(old, 90_000, "the old password refused");
    expect(Date.now() - rotatedAt).toBeGreaterThanOrEqual(15_000);
    expect(await digest(fresh)).toBeTruthy();
    // The same server process throughout, and no pod roll.
    expect(pod.output()).not.toMatch(/panic|fatal/);
    expect(JSON.stringify(clusterDeployment(ns.name, name)?.spec.template)).toBe(template);
  }, 330_000);

  it("a deleted ImagePullSecret's credentials stop working", async () => {
    const pull = dockerConfig("pull-deleted", secretKey("pull", ".dockerconfigjson"));
    expect(await digest(pull)).toBeTruthy();
    kubectlOk(["-n", ns.name, "delete", "imagepullsecret", "pull"]);
    await refusedWithin(pull, 60_000, "the deleted credential refused");
  });
});
