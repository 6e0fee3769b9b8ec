// A forward proxy standing in for cluster DNS and a Service: clients (crane, through HTTPS_PROXY)
// ask for `<service>.<namespace>.svc:5000`, and the tunnel goes to the registry process on
// 127.0.0.1. TLS runs end to end through the tunnel, so the client checks the server's
// certificate against the Service name, as it would in the cluster. Routes can change while
// clients run (a rolling update switching pods).
import { createServer, type Server } from "node:http";
import { connect } from "node:net";

export interface ConnectProxy {
  /** For HTTPS_PROXY. */
  url: string;
  /** Sends new tunnels for `hostPort` to 127.0.0.1:`port`. */
  route(hostPort: string, port: number): void;
  close(): Promise<void>;
}

export async function connectProxy(routes: Record<string, number> = {}): Promise<ConnectProxy> {
  const table = new Map(Object.entries(routes));
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client, head) => {
    const port = table.get(req.url ?? "");
    if (!port) {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    route: (hostPort, to) => table.set(hostPort, to),
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
