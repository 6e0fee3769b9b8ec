import { createServer, type AddressInfo, type Server } from "node:net";
import { pingRedis } from "../../../lib/kube/redis-ping";

// A Redis peer that answers whatever is sent with fixed replies (RESP simple strings/errors): how
// each answer is read, without making a real Redis load a dataset or fail over.
async function peer(
  replies: string[],
  atConnect = false,
): Promise<{ addr: string; server: Server }> {
  const text = replies.map(r => `${r}\r\n`).join("");
  const server = createServer(sock =>
    // Redis refusing a client writes its error at once and closes.
    atConnect ? sock.end(text) : sock.once("data", () => sock.write(text)),
  );
  await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
  return { addr: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function ping(replies: string[], password?: string, atConnect = false) {
  const { addr, server } = await peer(replies, atConnect);
  try {
    return await pingRedis(addr, password);
  } finally {
    server.close();
  }
}

describe("pingRedis reads Redis' answers", () => {
  it("accepts PONG, with and without a password", async () => {
    expect(await ping(["+PONG"])).toEqual({ ok: true });
    expect(await ping(["+OK", "+PONG"], "pw")).toEqual({ ok: true });
  });

  it("tells a refused password from a missing one", async () => {
    expect(await ping(["-WRONGPASS invalid username-password pair", "-NOAUTH x"], "pw")).toEqual({
      ok: false,
      reason: "AuthFailed",
      detail: "WRONGPASS invalid username-password pair",
    });
    expect(await ping(["-NOAUTH Authentication required."])).toMatchObject({
      reason: "AuthRequired",
    });
  });

  it("does not take Redis not serving for a password problem", async () => {
    const loading = "-LOADING Redis is loading the dataset in memory";
    expect(await ping([loading])).toEqual({
      ok: false,
      reason: "NotServing",
      detail: "LOADING Redis is loading the dataset in memory",
    });
    expect(await ping(["+OK", loading], "pw")).toMatchObject({ reason: "NotServing" });
    // Refused at connect: Redis' words, not "closed before Redis answered".
    expect(await ping(["-ERR max number of clients reached"], "pw", true)).toEqual({
      ok: false,
      reason: "NotServing",
      detail: "ERR max number of clients reached",
    });
  });
});
