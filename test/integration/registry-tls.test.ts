// TLS of a Registry against the local cluster: the operator's CA and server certificate, their
// renewal, the CA bundle ConfigMap, a user's Secret flagged when clients would refuse it, and
// the admission rules. The data plane (the registry serving it) is in registry-tls-dataplane.
import { parseCertificate } from "../../lib/dependencies/tls/certificates";
import { issue } from "../../lib/dependencies/tls/x509";
import { moduleMetrics } from "../support/metrics";
import { opensslVerify } from "../support/openssl";
import { apply, eventually, getJson, kubectl, kubectlOk, testNamespace } from "../support/kubectl";
import { registryManifest } from "../support/manifests";

type Cond = { type: string; status: string; reason: string; message: string };
type Reg = { status?: { url?: string; conditions?: Cond[] } };
type Secret = { type: string; data?: Record<string, string> };
const b64 = (s: string) => Buffer.from(s).toString("base64");
const unb64 = (s: string | undefined) => Buffer.from(s ?? "", "base64").toString();

const registry = registryManifest;

describe("Registry TLS", () => {
  const ns = testNamespace("tls");
  afterAll(() => ns.remove());
  const get = <T>(...what: string[]) => getJson<T>(["-n", ns.name, ...what]);
  const getJsonOrUndefined = <T>(what: string[]): T | undefined => {
    const r = kubectl(["-n", ns.name, "get", ...what, "-o", "json", "--ignore-not-found"]);
    return r.stdout.trim() ? (JSON.parse(r.stdout) as T) : undefined;
  };
  const condition = (name: string, type: string) =>
    get<Reg>("registry", name).status?.conditions?.find(c => c.type === type);
  /** The CertificateReady condition of a Registry, once `matches` holds for it. */
  const certificateReady = (name: string, matches: (c: Cond) => boolean, what: string) =>
    eventually(
      () => {
        const c = condition(name, "CertificateReady");
        return c && matches(c) ? c : undefined;
      },
      60_000,
      what,
    );
  /** The CA bundle the operator publishes for `name`, once it is there. */
  const caBundle = (name: string) =>
    eventually(
      () => get<{ data?: Record<string, string> }>("configmap", `${name}-ca`).data?.["ca.crt"],
      30_000,
      `ConfigMap ${name}-ca`,
    );

  it("issues a CA and a server certificate for the Service names, publishes the CA and serves HTTPS", async () => {
    expect(
      apply(registry("web", { tls: { selfSigned: { certDuration: "2m" } } }), ns.name).code,
    ).toBe(0);
    const ready = await certificateReady("web", c => c.status === "True", "CertificateReady=True");
    expect(ready.reason).toBe("SelfSigned");
    const secret = get<Secret>("secret", "web-tls");
    expect(secret.type).toBe("kubernetes.io/tls");
    const bundle = await caBundle("web");
    expect(unb64(secret.data!["ca.crt"])).toBe(bundle);
    const cert = unb64(secret.data!["tls.crt"]);
    expect(opensslVerify(bundle, cert, `web.${ns.name}.svc`)).toMatch(/: OK$/);
    // The key stays in its Secret: neither the ConfigMap nor the status holds one.
    expect(JSON.stringify(get("configmap", "web-ca"))).not.toContain("PRIVATE KEY");
    expect(JSON.stringify(get("registry", "web"))).not.toContain("PRIVATE KEY");
    expect(get<Reg>("registry", "web").status?.url).toBe(`https://web.${ns.name}.svc:5000`);
    const pod = get<{
      spec: {
        template: { spec: { containers: { readinessProbe: { httpGet: { scheme?: string } } }[] } };
      };
    }>("deployment", "web").spec.template.spec;
    expect(pod.containers[0].readinessProbe.httpGet.scheme).toBe("HTTPS");
    // The new Registry's generated Secrets are one Event, naming each.
    const events = kubectlOk([
      "-n",
      ns.name,
      "get",
      "events",
      "--field-selector",
      "reason=SecretsGenerated",
      "-o",
      "jsonpath={.items[*].message}",
    ]);
    expect(events).toMatch(/CAIssued: Issued the CA web registry CA/);
    expect(events).toMatch(/CertificateIssued: Issued the server certificate in Secret web-tls/);
  });

  it("exports the certificate's expiry on the module's /metrics", async () => {
    const cert = parseCertificate(unb64(get<Secret>("secret", "web-tls").data!["tls.crt"]))!;
    const series = await eventually(
      async () =>
        (await moduleMetrics())
          .split("\n")
          .find(
            l =>
              l.startsWith("registry_operator_certificate_expiry_timestamp_seconds{") &&
              l.includes(`namespace="${ns.name}"`) &&
              l.includes('name="web"'),
          ),
      30_000,
      "the expiry series of web",
    );
    expect(series).toContain('kind="Registry"');
    expect(Number(series.split(" ").pop())).toBe(Date.parse(cert.validTo) / 1000);
  });

  it("renews the server certificate after two thirds of its life, under the same CA, and rolls the pods", async () => {
    const before = get<Secret>("secret", "web-tls").data!["tls.crt"];
    const checksum = () =>
      get<{ spec: { template: { metadata: { annotations: Record<string, string> } } } }>(
        "deployment",
        "web",
      ).spec.template.metadata.annotations["registry-operator.dev/inputs-checksum"];
    const rolledFrom = checksum();
    // certDuration 2m (+1m of clock tolerance before now): renewed about 60 s after issue.
    const renewed = await eventually(
      () => {
        const now = get<Secret>("secret", "web-tls").data!["tls.crt"];
        return now !== before ? unb64(now) : undefined;
      },
      150_000,
      "a renewed certificate",
    );
    const bundle = get<{ data: Record<string, string> }>("configmap", "web-ca").data["ca.crt"];
    expect(opensslVerify(bundle, renewed, `web.${ns.name}.svc`)).toMatch(/: OK$/);
    await eventually(() => (checksum() !== rolledFrom ? true : undefined), 30_000, "pods rolled");
    expect(
      kubectlOk(["-n", ns.name, "get", "events", "-o", "jsonpath={.items[*].reason}"]),
    ).toContain("CertificateRenewed");
  }, 200_000);

  it("flags a user's expired certificate, and serves it once replaced with a valid one", async () => {
    const hour = 3600_000;
    const pair = (from: number, to: number) =>
      issue({
        commonName: `mine.${ns.name}.svc`,
        ca: false,
        names: [`mine.${ns.name}.svc`],
        notBefore: new Date(from),
        notAfter: new Date(to),
      });
    const secret = (p: { certificate: string; key: string }) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "mine-cert" },
      type: "kubernetes.io/tls",
      data: { "tls.crt": b64(p.certificate), "tls.key": b64(p.key) },
    });
    const now = Date.now();
    expect(apply(secret(pair(now - 2 * hour, now - hour)), ns.name).code).toBe(0);
    expect(apply(registry("mine", { tls: { secretName: "mine-cert" } }), ns.name).code).toBe(0);
    const expired = await certificateReady(
      "mine",
      c => c.reason === "CertificateExpired",
      "CertificateExpired",
    );
    expect(expired.message).toContain("Secret mine-cert (spec.tls.secretName)");
    expect(condition("mine", "Ready")).toMatchObject({
      status: "False",
      reason: "CertificateExpired",
    });
    expect(apply(secret(pair(now - hour, now + hour)), ns.name).code).toBe(0);
    await eventually(
      () => (condition("mine", "CertificateReady")?.status === "True" ? true : undefined),
      60_000,
      "CertificateReady=True after the Secret was replaced",
    );
  }, 150_000);

  it("serves a Cache over TLS the same way", async () => {
    const cache = {
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "Cache",
      metadata: { name: "mirror" },
      spec: { upstreamRegistryURL: "https://quay.io", tls: { selfSigned: {} } },
    };
    expect(apply(cache, ns.name).code).toBe(0);
    await eventually(
      () =>
        get<Reg>("cache", "mirror").status?.conditions?.find(
          c => c.type === "CertificateReady" && c.status === "True",
        ),
      60_000,
      "the Cache's CertificateReady=True",
    );
    expect(get<Reg>("cache", "mirror").status?.url).toBe(`https://mirror.${ns.name}.svc:5000`);
    const bundle = await caBundle("mirror");
    const cert = unb64(get<Secret>("secret", "mirror-tls").data!["tls.crt"]);
    expect(opensslVerify(bundle, cert, `mirror.${ns.name}.svc`)).toMatch(/: OK$/);
  });

  it("puts an Ingress in front, with TLS from the same certificate, which covers its host", async () => {
    const host = `registry.${ns.name}.example.com`;
    const spec = {
      tls: { selfSigned: {} },
      ingress: {
        host,
        className: "nginx",
        annotations: { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" },
      },
    };
    expect(apply(registry("ing", spec), ns.name).code).toBe(0);
    type Ing = {
      metadata: { annotations?: Record<string, string> };
      spec: {
        ingressClassName?: string;
        tls?: { hosts: string[]; secretName: string }[];
        rules: { host: string; http: { paths: { path: string; backend: object }[] } }[];
      };
    };
    const ing = await eventually(
      () => getJsonOrUndefined<Ing>(["ingress", "ing"]),
      30_000,
      "Ingress ing",
    );
    expect(ing.spec.ingressClassName).toBe("nginx");
    expect(ing.metadata.annotations).toMatchObject(spec.ingress.annotations);
    expect(ing.spec.tls).toEqual([{ hosts: [host], secretName: "ing-tls" }]);
    expect(ing.spec.rules).toEqual([
      {
        host,
        http: {
          paths: [
            {
              path: "/",
              pathType: "Prefix",
              backend: { service: { name: "ing", port: { name: "http" } } },
            },
          ],
        },
      },
    ]);
    const bundle = await caBundle("ing");
    const cert = unb64(get<Secret>("secret", "ing-tls").data!["tls.crt"]);
    expect(opensslVerify(bundle, cert, host)).toMatch(/: OK$/);
    await eventually(
      () => (get<Reg>("registry", "ing").status?.url === `https://${host}` ? true : undefined),
      30_000,
      "status.url of the Ingress",
    );
    for (const bad of ["Registry.Example.com", "10.0.0.1", "*.example.com"]) {
      const r = kubectl(
        ["-n", ns.name, "apply", "--dry-run=server", "-f", "-"],
        JSON.stringify(registry("ing", { ...spec, ingress: { host: bad } })),
      );
      expect([bad, r.code]).toEqual([bad, 1]);
      expect(r.stderr).toContain("spec.ingress.host");
      expect(r.stderr).toContain("must be a lowercase DNS name");
    }
  });

  it("refuses TLS switched off without acknowledgement, and cert-manager issuers for now", () => {
    const off = kubectl(
      ["-n", ns.name, "apply", "--dry-run=server", "-f", "-"],
      JSON.stringify(registry("off", { tls: { disabled: true } })),
    );
    expect(off.code).not.toBe(0);
    expect(off.stderr).toMatch(
      /spec\.tls\.acknowledgeInsecure: .*disabled: true needs acknowledgeInsecure: true/,
    );
    const acknowledged = kubectl(
      ["-n", ns.name, "apply", "--dry-run=server", "-f", "-"],
      JSON.stringify(registry("off", { tls: { disabled: true, acknowledgeInsecure: true } })),
    );
    expect(acknowledged.code).toBe(0);
    expect(acknowledged.stderr).toContain(
      "Warning: spec.tls.disabled: the registry serves plain HTTP",
    );
    const issuer = kubectl(
      ["-n", ns.name, "apply", "--dry-run=server", "-f", "-"],
      JSON.stringify(registry("iss", { tls: { issuerRef: { name: "ca", kind: "Vault" } } })),
    );
    expect(issuer.code).not.toBe(0);
    expect(issuer.stderr).toMatch(/spec\.tls\.issuerRef\.kind/);
    const clusterIssuer = kubectl(
      ["-n", ns.name, "apply", "--dry-run=server", "-f", "-"],
      JSON.stringify(
        registry("iss", { tls: { issuerRef: { name: "ca", kind: "ClusterIssuer" } } }),
      ),
    );
    expect(clusterIssuer.code).toBe(0);
  });
});
