import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { loadConnection } from "../../../lib/kube/connection";

// KubeConfig as @kubernetes/client-node builds it: its current cluster and user are all we read.
const kubeconfig = (cluster: object, user: object | null) =>
  ({ getCurrentCluster: () => cluster, getCurrentUser: () => user }) as unknown as KubeConfig;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "kube-"))));
afterEach(() => rmSync(dir, { recursive: true }));

describe("loadConnection", () => {
  it("in cluster: trusts the service-account CA and sends the token, re-read when rotated", async () => {
    const ca = join(dir, "ca.crt");
    const token = join(dir, "token");
    writeFileSync(ca, "CA PEM");
    writeFileSync(token, "first-token\n");
    utimesSync(token, 1000, 1000);
    // The shape of KubeConfig.loadFromCluster().
    const conn = loadConnection(
      kubeconfig(
        { name: "inCluster", server: "https://10.0.0.1:443", caFile: ca, skipTLSVerify: false },
        {
          name: "inClusterUser",
          authProvider: { name: "tokenFile", config: { tokenFile: token } },
        },
      ),
    );
    expect(conn.server.href).toBe("https://10.0.0.1/");
    expect(conn.tls.ca?.toString()).toBe("CA PEM");
    expect(await conn.authHeaders()).toEqual({ Authorization: "Bearer first-token" });
    writeFileSync(token, "second-token\n");
    utimesSync(token, 2000, 2000);
    await new Promise(r => setTimeout(r, 1100)); // the file is looked at once a second at most
    expect(await conn.authHeaders()).toEqual({ Authorization: "Bearer second-token" });
  });

  it("client certificates from files or inline data, and skip-verify when the kubeconfig says so", async () => {
    const cert = join(dir, "client.crt");
    writeFileSync(cert, "CERT");
    const conn = loadConnection(
      kubeconfig(
        {
          server: "https://127.0.0.1:6443",
          caData: Buffer.from("CA").toString("base64"),
          skipTLSVerify: true,
        },
        { name: "admin", certFile: cert, keyData: Buffer.from("KEY").toString("base64") },
      ),
    );
    expect(conn.tls.ca?.toString()).toBe("CA");
    expect(conn.tls.cert?.toString()).toBe("CERT");
    expect(conn.tls.key?.toString()).toBe("KEY");
    expect(conn.tls.rejectUnauthorized).toBe(false);
    expect(await conn.authHeaders()).toEqual({});
  });

  it("a static token or a username and password", async () => {
    const token = loadConnection(kubeconfig({ server: "https://h" }, { name: "u", token: "abc" }));
    expect(await token.authHeaders()).toEqual({ Authorization: "Bearer abc" });
    const basic = loadConnection(
      kubeconfig({ server: "https://h" }, { name: "u", username: "me", password: "pw" }),
    );
    expect(await basic.authHeaders()).toEqual({
      Authorization: `Basic ${Buffer.from("me:pw").toString("base64")}`,
    });
  });

  it("says so when the kubeconfig has no current cluster", () => {
    expect(() => loadConnection(kubeconfig(null as never, null))).toThrow(/no current cluster/);
  });
});
