// spec.tls.issuerRef against the real cert-manager controllers (scripts/tools/cert-manager) and
// its CRDs on the local cluster: the Certificate the operator creates, cert-manager's Ready
// flowing into CertificateReady, the issued Secret served and its CA published, a reissue
// rolling the pods, and a switch back to the operator's own CA.
import { INPUTS_ANNOTATION } from "../../lib/engine/pod-inputs";
import { runCertManager, type CertManager } from "../support/cert-manager";
import { opensslVerify } from "../support/openssl";
import { apply, eventually, getJson, kubectl, kubectlOk, testNamespace } from "../support/kubectl";

type Cond = { type: string; status: string; reason: string; message: string };
type Obj = {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  status?: { conditions?: Cond[] };
};
const unb64 = (s: string | undefined) => Buffer.from(s ?? "", "base64").toString();

describe("Registry TLS from a cert-manager issuer", () => {
  const ns = testNamespace("issuer");
  let certManager: CertManager;
  beforeAll(() => {
    certManager = runCertManager(ns.name);
  });
  afterAll(async () => {
    await certManager.stop();
    ns.remove();
  });
  const get = (kind: string, name: string) => getJson<Obj>(["-n", ns.name, kind, name]);
  const certificateReady = (name = "web") =>
    get("registry", name).status?.conditions?.find(c => c.type === "CertificateReady");
  const cond = (name: string, type: string) =>
    get("registry", name).status?.conditions?.find(c => c.type === type);
  /** Fails with what cert-manager logged, which is what explains a stuck issuance. */
  const waitFor = async <T>(check: () => T | undefined, what: string, ms = 60_000) => {
    try {
      return await eventually(check, ms, what);
    } catch (err) {
      throw new Error(
        `${String(err)}\ncert-manager log (tail):\n${certManager.log().slice(-4000)}`,
      );
    }
  };

  it("creates the Certificate, and CertificateReady follows its Ready while the issuer is missing", async () => {
    expect(
      apply(
        {
          apiVersion: "registry-operator.dev/v1alpha1",
          kind: "Registry",
          metadata: { name: "web" },
          spec: { tls: { issuerRef: { name: "team-ca" } } },
        },
        ns.name,
      ).code,
    ).toBe(0);
    const cert = await waitFor(() => get("certificate", "web-tls"), "the Certificate");
    expect(cert.spec).toMatchObject({
      secretName: "web-tls",
      dnsNames: [`web.${ns.name}.svc`, `web.${ns.name}.svc.cluster.local`, `web.${ns.name}`, "web"],
      issuerRef: { name: "team-ca", kind: "Issuer", group: "cert-manager.io" },
    });
    expect(cert.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "Registry", name: "web" }),
    ]);
    // cert-manager says the Certificate is not Ready (no such Issuer): so does the Registry.
    const notReady = await waitFor(
      () => (certificateReady()?.reason === "CertificateNotReady" ? certificateReady() : undefined),
      "CertificateReady to report cert-manager's verdict",
    );
    expect(notReady).toMatchObject({ status: "False" });
    expect(notReady!.message).toContain("Issuer team-ca");
    expect(cond("web", "Ready")?.status).toBe("False");
  });

  it("serves the certificate cert-manager issues once the issuer exists, and publishes its CA", async () => {
    const issuers = [
      { kind: "Issuer", metadata: { name: "bootstrap" }, spec: { selfSigned: {} } },
      {
        kind: "Certificate",
        metadata: { name: "team-root" },
        spec: {
          isCA: true,
          commonName: "team root CA",
          secretName: "team-root",
          privateKey: { algorithm: "ECDSA", size: 256 },
          issuerRef: { name: "bootstrap", kind: "Issuer" },
        },
      },
      { kind: "Issuer", metadata: { name: "team-ca" }, spec: { ca: { secretName: "team-root" } } },
    ];
    for (const o of issuers)
      expect(apply({ apiVersion: "cert-manager.io/v1", ...o }, ns.name).code).toBe(0);

    const ready = await waitFor(
      () => (certificateReady()?.reason === "IssuedByCertManager" ? certificateReady() : undefined),
      "CertificateReady IssuedByCertManager",
    );
    expect(ready).toMatchObject({ status: "True" });
    expect(ready!.message).toContain("cert-manager (Issuer team-ca) renews it");

    const secret = get("secret", "web-tls");
    expect(secret.metadata.annotations?.["cert-manager.io/issuer-name"]).toBe("team-ca");
    // secretTemplate: the operator's labels, so its informer hears of every issuance.
    expect(secret.metadata.labels?.["app.kubernetes.io/managed-by"]).toBe("registry-operator");
    const root = unb64(get("secret", "team-root").data?.["tls.crt"]);
    expect(opensslVerify(root, unb64(secret.data?.["tls.crt"]), `web.${ns.name}.svc`)).toMatch(
      /: OK$/,
    );
    const bundle = await waitFor(
      () => get("configmap", "web-ca").data?.["ca.crt"],
      "the CA bundle ConfigMap",
    );
    expect(bundle.trim()).toBe(root.trim());
    const pod = get("deployment", "web").spec as {
      template: { spec: { volumes: { name: string; secret?: { secretName: string } }[] } };
    };
    expect(pod.template.spec.volumes.find(v => v.name === "tls")?.secret?.secretName).toBe(
      "web-tls",
    );
    await waitFor(
      () => (cond("web", "Ready")?.status === "True" ? true : undefined),
      "the Registry to be Ready",
    );
  });

  it("issues a Cache's certificate the same way", async () => {
    const cache = {
      apiVersion: "registry-operator.dev/v1alpha1",
      kind: "Cache",
      metadata: { name: "mirror" },
      spec: { upstreamRegistryURL: "https://quay.io", tls: { issuerRef: { name: "team-ca" } } },
    };
    expect(apply(cache, ns.name).code).toBe(0);
    await waitFor(
      () =>
        get("cache", "mirror").status?.conditions?.find(
          c => c.type === "CertificateReady" && c.reason === "IssuedByCertManager",
        ),
      "the Cache's CertificateReady IssuedByCertManager",
    );
    expect(get("certificate", "mirror-tls").metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: "Cache", name: "mirror" }),
    ]);
    const root = unb64(get("secret", "team-root").data?.["tls.crt"]);
    const cert = unb64(get("secret", "mirror-tls").data?.["tls.crt"]);
    expect(opensslVerify(root, cert, `mirror.${ns.name}.svc`)).toMatch(/: OK$/);
  });

  it("rolls the pods onto a certificate cert-manager issues again", async () => {
    const stamp = () =>
      (get("deployment", "web").spec as { template: { metadata: { annotations: object } } })
        .template.metadata.annotations as Record<string, string>;
    const before = stamp()[INPUTS_ANNOTATION];
    const served = unb64(get("secret", "web-tls").data?.["tls.crt"]);
    // A lost Secret is issued again (a renewal writes it the same way).
    kubectlOk(["-n", ns.name, "delete", "secret", "web-tls"]);
    await waitFor(() => {
      const now = unb64(get("secret", "web-tls").data?.["tls.crt"]);
      return now && now !== served ? now : undefined;
    }, "cert-manager to issue the certificate again");
    await waitFor(
      () => (stamp()[INPUTS_ANNOTATION] !== before ? true : undefined),
      "the pods to roll onto the new certificate",
    );
  });

  it("goes back to the operator's own CA when issuerRef is replaced, deleting the Certificate", async () => {
    kubectlOk([
      "-n",
      ns.name,
      "patch",
      "registry",
      "web",
      "--type=merge",
      "-p",
      '{"spec":{"tls":{"issuerRef":null,"selfSigned":{}}}}',
    ]);
    await waitFor(
      () => (certificateReady()?.reason === "SelfSigned" ? true : undefined),
      "CertificateReady SelfSigned",
    );
    await waitFor(
      () =>
        kubectl(["-n", ns.name, "get", "certificate", "web-tls"]).code !== 0 ? true : undefined,
      "the Certificate to be pruned",
    );
    const operatorCa = unb64(get("secret", "web-tls-ca").data?.["tls.crt"]);
    expect(
      opensslVerify(
        operatorCa,
        unb64(get("secret", "web-tls").data?.["tls.crt"]),
        `web.${ns.name}.svc`,
      ),
    ).toMatch(/: OK$/);
  });
});
