import { readBuiltManifest } from "../../../scripts/deployed/pods";

const b64 = (s: string) => Buffer.from(s).toString("base64");

function manifest(overrides: { container?: object; volumes?: object[]; secrets?: object[] } = {}) {
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "mod-watcher", namespace: "pepr-system" },
    spec: {
      template: {
        metadata: { labels: { app: "mod-watcher" } },
        spec: {
          serviceAccountName: "mod",
          securityContext: { runAsUser: 65532, runAsGroup: 65532, runAsNonRoot: true },
          containers: [
            {
              name: "watcher",
              image: "ghcr.io/defenseunicorns/pepr/controller:v1.1.4",
              args: ["/app/node_modules/pepr/dist/controller.js", "abc"],
              env: [{ name: "PEPR_WATCH_MODE", value: "true" }],
              readinessProbe: { httpGet: { path: "/healthz", port: 3000, scheme: "HTTPS" } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              volumeMounts: [{ name: "certs", mountPath: "/etc/certs", readOnly: true }],
              ...overrides.container,
            },
          ],
          volumes: overrides.volumes ?? [{ name: "certs", secret: { secretName: "mod-tls" } }],
        },
      },
    },
  };
  const secrets = overrides.secrets ?? [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "mod-tls", namespace: "pepr-system" },
      data: { "tls.crt": b64("CERT"), "tls.key": b64("KEY") },
    },
  ];
  return [...secrets, deployment];
}

describe("the built Deployments as a kubelet reads them", () => {
  it("gives each container its argv, env, user, labels, probe and Secret files (mode 0644)", () => {
    const [pod] = readBuiltManifest(manifest()).pods;
    expect(pod).toMatchObject({
      deployment: "mod-watcher",
      namespace: "pepr-system",
      labels: { app: "mod-watcher" },
      args: ["/app/node_modules/pepr/dist/controller.js", "abc"],
      env: { PEPR_WATCH_MODE: "true" },
      user: 65532,
      group: 65532,
      restricted: true,
      serviceAccount: "mod",
      mountToken: true,
      readiness: { path: "/healthz", port: 3000 },
    });
    expect(pod.files.map(f => [f.path, f.content.toString(), f.mode])).toEqual([
      ["/etc/certs/tls.crt", "CERT", 0o644],
      ["/etc/certs/tls.key", "KEY", 0o644],
    ]);
  });

  it("keeps a Secret volume's defaultMode and a container that may escalate unrestricted", () => {
    const [pod] = readBuiltManifest(
      manifest({
        volumes: [{ name: "certs", secret: { secretName: "mod-tls", defaultMode: 0o400 } }],
        container: { securityContext: {} },
      }),
    ).pods;
    expect(pod.files.every(f => f.mode === 0o400)).toBe(true);
    expect(pod.restricted).toBe(false);
  });

  it("refuses what it could not run as built", () => {
    expect(() => readBuiltManifest(manifest({ secrets: [] }))).toThrow(
      "Deployment mod-watcher: Secret mod-tls is not in the manifest",
    );
    expect(() => readBuiltManifest(manifest({ container: { command: ["sh"] } }))).toThrow(
      "a command replaces the image's entrypoint",
    );
    expect(() => readBuiltManifest(manifest({ container: { readinessProbe: {} } }))).toThrow(
      "no HTTPS readiness probe",
    );
    expect(() =>
      readBuiltManifest(manifest({ volumes: [{ name: "certs", emptyDir: {} }] })),
    ).toThrow("volume certs is not a Secret volume");
    expect(() =>
      readBuiltManifest(
        manifest({ container: { env: [{ name: "X", valueFrom: { fieldRef: {} } }] } }),
      ),
    ).toThrow("env from other objects is not supported here");
    expect(() =>
      readBuiltManifest(
        manifest({ volumes: [{ name: "certs", secret: { secretName: "mod-tls", items: [] } }] }),
      ),
    ).toThrow("uses subPath, items or optional");
  });
});
