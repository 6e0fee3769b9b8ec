import http from "node:http";
import type { AddressInfo } from "node:net";
import { Informer, type Informed, type WatchEventType } from "../../../lib/kube/informer";
import { Transport } from "../../../lib/kube/transport";

// A stand-in API server (plain HTTP on 127.0.0.1) serving one list and scripted watch streams.
const secrets = { group: "", version: "v1", kind: "Secret", plural: "secrets" };
const obj = (name: string, rv: string): Informed => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "ns", resourceVersion: rv, labels: { a: "b" }, managedFields: [{}] },
});

let server: http.Server;
let transport: Transport;
const requests: URL[] = [];
/** Each list request takes the next answer; the last one stays. */
let lists: { items: Informed[]; version: string }[] = [];
/** Each watch request takes the next script: lines to send, then the stream ends. */
let watches: object[][] = [];
/** The selector of the current test's informer: a request of an earlier test's is held open. */
let selector = "a=b";
let informers = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    // A request an earlier test's informer sent before it stopped must not take this test's answers.
    if (url.searchParams.get("labelSelector") !== selector) return;
    requests.push(url);
    res.writeHead(200, { "Content-Type": "application/json" });
    if (url.searchParams.get("watch") !== "1") {
      const { items, version } = lists.length > 1 ? lists.shift()! : lists[0];
      res.end(JSON.stringify({ items, metadata: { resourceVersion: version } }));
      return;
    }
    const script = watches.shift();
    if (!script) return; // hold the stream open until the test stops the informer
    for (const line of script) res.write(JSON.stringify(line) + "\n");
    res.end();
  });
  await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  transport = new Transport({
    server: new URL(`http://127.0.0.1:${port}`),
    tls: {},
    authHeaders: async () => ({}),
  });
});

afterAll(async () => {
  transport.close();
  server.closeAllConnections();
  await new Promise(r => server.close(r));
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise(r => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

function inform() {
  const events: [WatchEventType, string][] = [];
  selector = `a=b,informer=${++informers}`;
  const informer = new Informer(secrets, selector, (t, o) => events.push([t, o.metadata.name]), {
    transport: () => transport,
  });
  return { informer, events };
}

beforeEach(() => {
  requests.length = 0;
});

describe("Informer", () => {
  it("lists, then follows the watch, resuming from the last resourceVersion when a stream ends", async () => {
    lists = [{ items: [obj("one", "5"), obj("two", "6")], version: "10" }];
    watches = [
      [
        { type: "MODIFIED", object: obj("one", "11") },
        { type: "DELETED", object: obj("two", "12") },
        { type: "BOOKMARK", object: { metadata: { resourceVersion: "15" } } },
      ],
      [{ type: "ADDED", object: obj("three", "16") }],
    ];
    const { informer, events } = inform();
    expect(informer.synced).toBe(false);
    informer.start();
    const watching = () => requests.filter(u => u.searchParams.get("watch") === "1");
    await until(() => events.length === 5 && watching().length >= 3);
    informer.stop();
    expect(informer.synced).toBe(true);
    expect(events).toEqual([
      ["ADDED", "one"],
      ["ADDED", "two"],
      ["MODIFIED", "one"],
      ["DELETED", "two"],
      ["ADDED", "three"],
    ]);
    expect(informer.get("ns", "one")?.metadata.resourceVersion).toBe("11");
    expect(informer.get("ns", "one")?.metadata.managedFields).toBeUndefined();
    expect(informer.get("ns", "two")).toBeUndefined();
    expect(
      informer
        .list("ns", { a: "b" })
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual(["one", "three"]);
    const watchVersions = requests
      .filter(u => u.searchParams.get("watch") === "1")
      .map(u => u.searchParams.get("resourceVersion"));
    expect(watchVersions.slice(0, 3)).toEqual(["10", "15", "16"]);
    expect(requests.filter(u => !u.searchParams.has("watch"))).toHaveLength(1); // listed once
    expect(requests[0].searchParams.get("labelSelector")).toBe(selector);
  });

  it("lists again when the watch is too old (410) and reports what changed meanwhile", async () => {
    lists = [
      { items: [obj("one", "5"), obj("two", "6")], version: "10" },
      { items: [obj("one", "20")], version: "21" },
    ];
    watches = [[{ type: "ERROR", object: { code: 410, message: "too old", metadata: {} } }]];
    const { informer, events } = inform();
    informer.start();
    await until(() => events.length === 4);
    informer.stop();
    expect(events.slice(2)).toEqual([
      ["MODIFIED", "one"],
      ["DELETED", "two"],
    ]);
    expect(requests.filter(u => !u.searchParams.has("watch"))).toHaveLength(2);
  });

  it("does not bring back an object deleted after a write was answered", async () => {
    lists = [{ items: [obj("one", "5")], version: "10" }];
    watches = [[{ type: "DELETED", object: obj("one", "12") }]];
    const { informer, events } = inform();
    informer.start();
    await until(() => events.length === 2);
    informer.stop();
    informer.remember(obj("one", "11")); // the answer to a write made before the deletion
    expect(informer.get("ns", "one")).toBeUndefined();
    informer.remember(obj("one", "13")); // re-created since
    expect(informer.get("ns", "one")?.metadata.resourceVersion).toBe("13");
  });

  it("remembers a write unless it already holds a newer version", () => {
    const { informer } = inform();
    informer.remember(obj("one", "7"));
    informer.remember(obj("one", "5")); // an older answer arriving late
    expect(informer.get("ns", "one")?.metadata.resourceVersion).toBe("7");
    informer.remember(obj("one", "9"));
    expect(informer.get("ns", "one")?.metadata.resourceVersion).toBe("9");
  });
});
