import { parse } from "yaml";
import { noAccounts } from "../../support/fake-reader";
import type { GeneratedSecret, LiveObject, Generation } from "../../../lib/kubernetes/objects";
import type { RegistrySpec } from "../../../lib/api/registry-spec";
import type { Reader } from "../../../lib/dependencies/dependency";
import {
  canonicalName,
  caBundle,
  caToWrite,
  notAfter,
  parseCertificate,
  serverCertificateDue,
  TLS_KEYS,
} from "../../../lib/dependencies/tls/certificates";
import { observeTls } from "../../../lib/dependencies/tls/observe";
import { issue } from "../../../lib/dependencies/tls/x509";
import { childNames } from "../../../lib/render/names";
import { opensslVerify } from "../../support/openssl";
import { renderRegistryOf } from "../../support/render";

const HOUR = 3600_000;
const t0 = new Date("2030-01-01T00:00:00Z");
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

/** What the engine does with a Registry's generated Secrets at `now`, keeping them in `store`. */
function pass(secrets: GeneratedSecret[], store: Map<string, Record<string, string>>, now: Date) {
  const earlier = new Map<string, Record<string, string>>();
  const events: string[] = [];
  for (const s of secrets) {
    // The TLS Secrets are generated synchronously.
    const next = s.generate(store.get(s.metadata.name), earlier, now) as Generation | undefined;
    if (next) {
      store.set(s.metadata.name, next.data);
      if (next.event) events.push(next.event.reason);
    }
    const data = store.get(s.metadata.name);
    if (data) earlier.set(s.metadata.name, data);
  }
  return events;
}

const tlsRegistry = (tls: RegistrySpec["tls"], extra: RegistrySpec = {}) =>
  renderRegistryOf({ name: "reg", namespace: "ns", uid: "u", spec: { tls, ...extra } });

describe("the operator's certificates", () => {
  it("issues a CA and a server certificate that openssl accepts for a TLS server", () => {
    const ca = issue({ commonName: "ca", ca: true, notBefore: at(0), notAfter: at(100) });
    const server = issue({
      commonName: "reg.ns.svc",
      ca: false,
      names: ["reg.ns.svc", "10.96.0.10", "fd00::a"],
      notBefore: new Date(Date.now() - HOUR),
      notAfter: new Date(Date.now() + HOUR),
      issuer: ca,
    });
    const cert = parseCertificate(server.certificate)!;
    expect(cert.subjectAltName).toBe(
      "DNS:reg.ns.svc, IP Address:10.96.0.10, IP Address:FD00:0:0:0:0:0:0:A",
    );
    expect(cert.checkIssued(parseCertificate(ca.certificate)!)).toBe(true);
    const now = issue({
      commonName: "ca",
      ca: true,
      notBefore: new Date(Date.now() - HOUR),
      notAfter: new Date(Date.now() + HOUR),
    });
    const leaf = issue({
      commonName: "x",
      ca: false,
      names: ["x"],
      notBefore: new Date(Date.now() - HOUR),
      notAfter: new Date(Date.now() + HOUR),
      issuer: now,
    });
    expect(opensslVerify(now.certificate, leaf.certificate)).toMatch(/: OK$/);
    // A CA certificate is not a server certificate, and another CA does not vouch for this one.
    expect(opensslVerify(ca.certificate, leaf.certificate)).not.toMatch(/: OK$/);
  });

  // The longest lifetime admission accepts (Go's longest duration): found by the admission fuzz,
  // whose longer ones made issuing throw "Invalid time value" at every reconcile.
  it("issues a CA and a certificate of the longest lifetime admission accepts", () => {
    const longest = tlsRegistry({
      selfSigned: { caDuration: "2562047h", certDuration: "2562047h" },
    }).generated.wanted;
    const store = new Map<string, Record<string, string>>();
    expect(pass(longest, store, t0)).toEqual([
      "HttpSecretGenerated",
      "CAIssued",
      "CertificateIssued",
    ]);
    const cert = parseCertificate(store.get("reg-tls")![TLS_KEYS.cert])!;
    expect(notAfter(cert).getUTCFullYear()).toBe(2322);
  });

  it("renews the CA after two thirds of its life and keeps the old one trusted until it expires", () => {
    const first = caToWrite(undefined, "ca", 300 * 3600, at(0))!;
    expect(first.event.reason).toBe("CAIssued");
    expect(caToWrite(first.data, "ca", 300 * 3600, at(150))).toBeUndefined();
    const renewed = caToWrite(first.data, "ca", 300 * 3600, at(201))!;
    expect(renewed.event.reason).toBe("CARenewed");
    expect(renewed.data[TLS_KEYS.previousCa]).toBe(first.data[TLS_KEYS.cert]);
    expect(caBundle(renewed.data, at(250))).toContain(first.data[TLS_KEYS.cert].trim());
    // Once the old CA has expired it leaves the bundle and the Secret.
    expect(caBundle(renewed.data, at(301))).not.toContain(first.data[TLS_KEYS.cert].trim());
    expect(caToWrite(renewed.data, "ca", 300 * 3600, at(301))?.event.reason).toBe("CAPruned");
  });

  it("issues, keeps and renews the server certificate through the engine's passes", () => {
    const secrets = tlsRegistry({
      selfSigned: { caDuration: "3000h", certDuration: "30h" },
    }).generated.wanted.filter(s => s.metadata.name.startsWith("reg-tls"));
    expect(secrets.map(s => s.metadata.name)).toEqual(["reg-tls-ca", "reg-tls"]);
    const store = new Map<string, Record<string, string>>();
    expect(pass(secrets, store, at(0))).toEqual(["CAIssued", "CertificateIssued"]);
    const first = store.get("reg-tls")!;
    expect(parseCertificate(first[TLS_KEYS.cert])!.subjectAltName).toBe(
      "DNS:reg.ns.svc, DNS:reg.ns.svc.cluster.local, DNS:reg.ns, DNS:reg",
    );
    expect(first[TLS_KEYS.ca]).toBe(caBundle(store.get("reg-tls-ca")!, at(0)));
    expect(pass(secrets, store, at(15))).toEqual([]);
    expect(pass(secrets, store, at(21))).toEqual(["CertificateRenewed"]);
    expect(store.get("reg-tls")![TLS_KEYS.cert]).not.toBe(first[TLS_KEYS.cert]);
    // A certificate never outlives its CA.
    const short = tlsRegistry({ selfSigned: { caDuration: "10h", certDuration: "30h" } });
    const s2 = new Map<string, Record<string, string>>();
    pass(short.generated.wanted, s2, at(0));
    const cert = parseCertificate(s2.get("reg-tls")![TLS_KEYS.cert])!;
    const ca = parseCertificate(s2.get("reg-tls-ca")![TLS_KEYS.cert])!;
    expect(notAfter(cert).getTime()).toBeLessThanOrEqual(notAfter(ca).getTime());
  });

  it("keeps serving a certificate for an IPv6 cluster IP, however the certificate spells it", () => {
    expect(canonicalName("fd00::10")).toBe("fd00:0:0:0:0:0:0:10");
    expect(canonicalName("FD00:0:0:0:0:0:0:10")).toBe("fd00:0:0:0:0:0:0:10");
    expect(canonicalName("::ffff:10.0.0.1")).toBe("0:0:0:0:0:ffff:a00:1");
    expect(canonicalName("10.0.0.1")).toBe("10.0.0.1");
    const secrets = tlsRegistry({ selfSigned: {} }, { service: { clusterIP: "fd00::10" } })
      .generated.wanted;
    const store = new Map<string, Record<string, string>>();
    expect(pass(secrets, store, at(0))).toContain("CertificateIssued");
    // Not issued again on the next pass (nor on any after it: no endless roll).
    expect(pass(secrets, store, at(1))).toEqual([]);
  });

  it("gives clients time to take a renewed CA before serving a certificate it signed", () => {
    // The certificate's renewal falls on the CA's: both at 20 h.
    const secrets = tlsRegistry({ selfSigned: { caDuration: "30h", certDuration: "45h" } })
      .generated.wanted;
    const store = new Map<string, Record<string, string>>();
    pass(secrets, store, at(0));
    const first = store.get("reg-tls")![TLS_KEYS.cert];
    expect(pass(secrets, store, at(20.1))).toEqual(["CARenewed"]);
    // Still the certificate the old CA signed, which the new bundle keeps trusting.
    expect(store.get("reg-tls")![TLS_KEYS.cert]).toBe(first);
    expect(pass(secrets, store, at(24))).toEqual([]);
    // A sixth of its life (5 h) after the new CA was published, it is signed by that one.
    expect(pass(secrets, store, at(25.2))).toEqual(["CertificateRenewed"]);
    const renewed = parseCertificate(store.get("reg-tls")![TLS_KEYS.cert])!;
    const newCa = parseCertificate(store.get("reg-tls-ca")![TLS_KEYS.cert])!;
    expect(renewed.checkIssued(newCa)).toBe(true);
  });

  it("reissues the server certificate when its names change or its CA is gone", () => {
    const ca = caToWrite(undefined, "ca", 3000 * 3600, at(0))!.data;
    const names = ["reg.ns.svc"];
    const live = {
      ...issue({
        commonName: "reg.ns.svc",
        ca: false,
        names,
        notBefore: at(0),
        notAfter: at(30),
        issuer: { certificate: ca[TLS_KEYS.cert], key: ca[TLS_KEYS.key] },
      }),
    };
    const data = { [TLS_KEYS.cert]: live.certificate, [TLS_KEYS.key]: live.key };
    expect(serverCertificateDue(data, ca, names, at(1))).toBeUndefined();
    expect(serverCertificateDue(data, ca, [...names, "10.0.0.1"], at(1))).toMatch(/names/);
    const other = caToWrite(undefined, "other", 3000 * 3600, at(0))!.data;
    expect(serverCertificateDue(data, other, names, at(1))).toMatch(/not signed by the current CA/);
    expect(
      serverCertificateDue({ ...data, [TLS_KEYS.key]: other[TLS_KEYS.key] }, ca, names, at(1)),
    ).toMatch(/key does not match/);
  });
});

describe("rendering TLS", () => {
  it("serves HTTPS from the certificate Secret, probes over HTTPS and publishes the CA", () => {
    const r = renderRegistryOf({
      name: "reg",
      namespace: "ns",
      uid: "u",
      spec: { tls: { selfSigned: {} } },
      found: { CertificateReady: { "ca.crt": "BUNDLE" } },
    });
    expect(parse(r.configYaml).http.tls).toEqual({
      certificate: "/etc/registry-tls/tls.crt",
      key: "/etc/registry-tls/tls.key",
    });
    const deployment = r.objects.find(o => o.kind === "Deployment") as unknown as {
      spec: { template: { spec: { containers: { readinessProbe: object }[]; volumes: object[] } } };
    };
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].readinessProbe).toMatchObject({ httpGet: { scheme: "HTTPS" } });
    expect(pod.volumes).toContainEqual(
      expect.objectContaining({
        name: "tls",
        secret: expect.objectContaining({ secretName: "reg-tls" }),
      }),
    );
    expect(
      r.objects.find(o => o.kind === "ConfigMap" && o.metadata.name === "reg-ca"),
    ).toMatchObject({ data: { "ca.crt": "BUNDLE" } });
  });

  it("serves the user's Secret with secretName, and plain HTTP when disabled or unset", () => {
    const user = tlsRegistry({ secretName: "mine" });
    expect(JSON.stringify(user.objects)).toContain('"secretName":"mine"');
    expect(user.generated.wanted.map(s => s.metadata.name)).toEqual(["reg-http-secret"]);
    for (const plain of [
      tlsRegistry({ disabled: true, acknowledgeInsecure: true }),
      tlsRegistry(undefined),
    ])
      expect(parse(plain.configYaml).http.tls).toBeUndefined();
  });
});

describe("observeTls (CertificateReady)", () => {
  // The operator's own Secrets are read from memory (childData), a user's from the API (data):
  // each answers only for its own, so a read through the wrong one finds nothing.
  const own = (name: string) => name.startsWith("reg-tls");
  const reader = (
    secrets: Record<string, Record<string, string>>,
    objects: Record<string, LiveObject> = {},
  ): Reader => ({
    object: async (_v, kind, _ns, name) => objects[`${kind}/${name}`],
    data: async (_k, _ns, name) => (own(name) ? undefined : secrets[name]),
    childData: async (_k, _ns, name) => (own(name) ? secrets[name] : undefined),
    ...noAccounts,
    servedKinds: async () => new Set<string>(),
    pingRedis: async () => ({ ok: true }),
  });
  const ctx = (tls: RegistrySpec["tls"]) => ({
    spec: { tls },
    names: childNames("reg"),
    namespace: "ns",
  });
  const pair = (notBeforeMs: number, notAfterMs: number, names = ["reg.ns.svc"]) => {
    const p = issue({
      commonName: names[0],
      ca: false,
      names,
      notBefore: new Date(notBeforeMs),
      notAfter: new Date(notAfterMs),
    });
    return { [TLS_KEYS.cert]: p.certificate, [TLS_KEYS.key]: p.key };
  };
  const now = Date.now();

  it("says plainly when the registry serves plain HTTP, without blocking Ready", async () => {
    expect(await observeTls(ctx(undefined), reader({}))).toMatchObject({
      type: "CertificateReady",
      ready: false,
      reason: "PlainHTTP",
      blocking: false,
    });
    expect(
      await observeTls(ctx({ disabled: true, acknowledgeInsecure: true }), reader({})),
    ).toMatchObject({ reason: "TLSDisabled", blocking: false });
  });

  it("flags the user's Secret: missing, expired, key not matching, names not covered", async () => {
    expect(await observeTls(ctx({ secretName: "mine" }), reader({}))).toMatchObject({
      ready: false,
      reason: "SecretNotFound",
      recheckMs: 30_000,
    });
    const expired = pair(now - 2 * HOUR, now - HOUR);
    expect(await observeTls(ctx({ secretName: "mine" }), reader({ mine: expired }))).toMatchObject({
      ready: false,
      reason: "CertificateExpired",
      // The metric shows an expired certificate too, so an expiry alert fires.
      expiresAt: new Date(Math.floor((now - HOUR) / 1000) * 1000).toISOString(),
    });
    const good = pair(now - HOUR, now + HOUR);
    const other = pair(now - HOUR, now + HOUR);
    expect(
      await observeTls(
        ctx({ secretName: "mine" }),
        reader({ mine: { ...good, [TLS_KEYS.key]: other[TLS_KEYS.key] } }),
      ),
    ).toMatchObject({ ready: false, reason: "KeyMismatch" });
    expect(
      await observeTls(
        ctx({ secretName: "mine" }),
        reader({ mine: pair(now - HOUR, now + HOUR, ["elsewhere.example"]) }),
      ),
    ).toMatchObject({ ready: false, reason: "NamesNotCovered", blocking: false });
    // Valid for another hour: served, with a warning.
    expect(await observeTls(ctx({ secretName: "mine" }), reader({ mine: good }))).toMatchObject({
      ready: true,
      reason: "ExpiresSoon",
      message: expect.stringContaining("replace it"),
    });
    const lasting = pair(now - HOUR, now + 100 * 24 * HOUR);
    const served = await observeTls(ctx({ secretName: "mine" }), reader({ mine: lasting }));
    expect(served).toMatchObject({ ready: true, reason: "UserProvided" });
    expect(Date.parse(served!.expiresAt!)).toBeGreaterThan(now + 99 * 24 * HOUR);
    expect(JSON.stringify(served)).not.toContain("PRIVATE KEY");
  });

  it("does not vouch for a certificate its CA did not sign, nor for an Ingress host the user's does not cover", async () => {
    const secrets = tlsRegistry({ selfSigned: {} }).generated.wanted;
    const store = new Map<string, Record<string, string>>();
    pass(secrets, store, new Date(now));
    const foreign = pair(now - HOUR, now + 100 * 24 * HOUR, [
      "reg.ns.svc",
      "reg.ns.svc.cluster.local",
      "reg.ns",
      "reg",
    ]);
    expect(
      await observeTls(
        ctx({ selfSigned: {} }),
        reader({ "reg-tls-ca": store.get("reg-tls-ca")!, "reg-tls": foreign }),
      ),
    ).toMatchObject({ ready: false, reason: "NotIssuedByOperator" });
    const withIngress = {
      ...ctx({ secretName: "mine" }),
      spec: { tls: { secretName: "mine" }, ingress: { host: "registry.example.com" } },
    };
    const lasting = pair(now - HOUR, now + 100 * 24 * HOUR);
    expect(await observeTls(withIngress, reader({ mine: lasting }))).toMatchObject({
      ready: false,
      reason: "NamesNotCovered",
      blocking: false,
      message: expect.stringContaining("Ingress host registry.example.com"),
    });
  });

  it("reports the operator's certificate, hands the CA bundle to render and wakes up to renew", async () => {
    const secrets = tlsRegistry({ selfSigned: { certDuration: "3h" } }).generated.wanted;
    const store = new Map<string, Record<string, string>>();
    pass(secrets, store, new Date(now));
    const state = await observeTls(
      ctx({ selfSigned: { certDuration: "3h" } }),
      reader(Object.fromEntries(store)),
    );
    expect(state).toMatchObject({ ready: true, reason: "SelfSigned" });
    expect(state!.found!["ca.crt"]).toBe(caBundle(store.get("reg-tls-ca")!, new Date(now)));
    // Renewal at two thirds of (3h + the minute of clock tolerance).
    expect(state!.recheckMs).toBeGreaterThan(1.9 * HOUR);
    expect(state!.recheckMs).toBeLessThan(2.1 * HOUR);
    expect(JSON.stringify(state)).not.toContain("PRIVATE KEY");
  });
});

describe("tls.issuerRef (cert-manager)", () => {
  const issuerRef = { name: "team-ca" };
  const registryWith = (extra: RegistrySpec = {}) =>
    tlsRegistry({ issuerRef }, { service: { clusterIP: "10.96.0.50" }, ...extra });

  it("renders a Certificate for the Service's names, the cluster IP and the Ingress host, into the mounted Secret", () => {
    const rendered = registryWith({ ingress: { host: "registry.example.com" } });
    const cert = rendered.objects.find(o => o.kind === "Certificate")!;
    expect(cert).toMatchObject({
      apiVersion: "cert-manager.io/v1",
      metadata: { name: "reg-tls", ownerReferences: [expect.objectContaining({ name: "reg" })] },
      spec: {
        secretName: "reg-tls",
        dnsNames: [
          "reg.ns.svc",
          "reg.ns.svc.cluster.local",
          "reg.ns",
          "reg",
          "registry.example.com",
        ],
        ipAddresses: ["10.96.0.50"],
        issuerRef: { name: "team-ca", kind: "Issuer", group: "cert-manager.io" },
        privateKey: { rotationPolicy: "Always" },
      },
    });
    // The Secret carries the owner's labels, so the operator's informer sees each issuance.
    expect((cert.spec as { secretTemplate: unknown }).secretTemplate).toEqual({
      labels: cert.metadata.labels,
    });
    const pod = rendered.objects.find(o => o.kind === "Deployment") as unknown as {
      spec: {
        template: { spec: { volumes: { name: string; secret?: { secretName: string } }[] } };
      };
    };
    expect(pod.spec.template.spec.volumes.find(v => v.name === "tls")?.secret?.secretName).toBe(
      "reg-tls",
    );
    expect(parse(rendered.configYaml).http.tls.certificate).toBe("/etc/registry-tls/tls.crt");
    // Nothing of the operator's own CA.
    expect(rendered.generated.wanted.map(s => s.metadata.name)).not.toContain("reg-tls-ca");
    expect(registryWith().objects.find(o => o.kind === "Certificate")?.spec).toMatchObject({
      dnsNames: ["reg.ns.svc", "reg.ns.svc.cluster.local", "reg.ns", "reg"],
    });
  });

  const now = Date.now();
  const ctx = { spec: { tls: { issuerRef } }, names: childNames("reg"), namespace: "ns" };
  const issued = (() => {
    const ca = issue({
      commonName: "team CA",
      ca: true,
      names: [],
      notBefore: new Date(now - HOUR),
      notAfter: new Date(now + 1000 * HOUR),
    });
    const leaf = issue({
      commonName: "reg.ns.svc",
      ca: false,
      names: ["reg.ns.svc"],
      notBefore: new Date(now - HOUR),
      notAfter: new Date(now + 900 * HOUR),
      issuer: ca,
    });
    return {
      [TLS_KEYS.cert]: leaf.certificate,
      [TLS_KEYS.key]: leaf.key,
      [TLS_KEYS.ca]: ca.certificate,
    };
  })();
  const certificate = (status: string, reason: string, message: string): LiveObject => ({
    metadata: { name: "reg-tls" },
    status: { conditions: [{ type: "Ready", status, reason, message }] },
  });
  // cert-manager's Secret carries the operator's label once issued: read from memory.
  const reader = (secret?: Record<string, string>, cert?: LiveObject): Reader => ({
    object: async (apiVersion, kind, _ns, name) =>
      apiVersion === "cert-manager.io/v1" && kind === "Certificate" && name === "reg-tls"
        ? cert
        : undefined,
    data: async () => undefined,
    childData: async (_k, _ns, name) => (name === "reg-tls" ? secret : undefined),
    ...noAccounts,
    servedKinds: async () => new Set<string>(),
    pingRedis: async () => ({ ok: true }),
  });

  it("follows the Certificate's Ready condition", async () => {
    expect(await observeTls(ctx, reader())).toMatchObject({
      ready: false,
      reason: "Issuing",
      blocking: true,
      recheckMs: 30_000,
      message: expect.stringContaining("is cert-manager installed?"),
    });
    expect(
      await observeTls(
        ctx,
        reader(undefined, certificate("False", "Pending", "Issuer team-ca is not Ready")),
      ),
    ).toMatchObject({
      ready: false,
      reason: "CertificateNotReady",
      blocking: true,
      message: expect.stringContaining("Pending: Issuer team-ca is not Ready"),
    });
    const ready = await observeTls(ctx, reader(issued, certificate("True", "Ready", "up to date")));
    expect(ready).toMatchObject({
      ready: true,
      reason: "IssuedByCertManager",
      message: expect.stringContaining("cert-manager (Issuer team-ca) renews it"),
      found: { [TLS_KEYS.ca]: issued[TLS_KEYS.ca] },
      recheckMs: 30_000,
    });
    expect(JSON.stringify(ready)).not.toContain("PRIVATE KEY");
  });

  it("says when cert-manager's certificate does not cover the Ingress host", async () => {
    const withIngress = {
      ...ctx,
      spec: { tls: { issuerRef }, ingress: { host: "registry.example.com" } },
    };
    expect(
      await observeTls(withIngress, reader(issued, certificate("True", "Ready", "up to date"))),
    ).toMatchObject({
      ready: false,
      reason: "NamesNotCovered",
      message: expect.stringContaining("does not cover the Ingress host registry.example.com"),
    });
  });

  it("keeps serving a valid earlier certificate while the Certificate is not Ready, saying so", async () => {
    const failing = certificate("False", "DoesNotMatch", "DNS names changed");
    expect(await observeTls(ctx, reader(issued, failing))).toMatchObject({
      ready: false,
      reason: "CertificateNotReady",
      blocking: false,
      message: expect.stringContaining(
        "Meanwhile the registry serves the certificate in Secret reg-tls",
      ),
    });
  });
});
