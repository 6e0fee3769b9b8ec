// A real S3-compatible server on 127.0.0.1 for the S3 and COSI data-plane tests: the Versity S3
// Gateway with its posix backend, where each directory under the root is a bucket.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./ports";
import { reapOnExit } from "./reap";
import { toolsBin } from "./tools";

export interface S3Server {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  createBucket(name: string): void;
  /** Where a bucket's objects live on disk. */
  bucketDir(name: string): string;
  stop(): Promise<void>;
}

export async function runS3Server(): Promise<S3Server> {
  const bin = join(toolsBin(), "versitygw");
  if (!existsSync(bin))
    throw new Error(`${bin} is missing: run scripts/tools/install.sh versitygw`);
  const root = mkdtempSync("/var/tmp/registry-operator-s3-");
  const port = await freePort();
  const accessKey = `AK${randomBytes(8).toString("hex").toUpperCase()}`;
  const secretKey = randomBytes(20).toString("base64url");
  const child = spawn(bin, ["--port", `127.0.0.1:${port}`, "posix", root], {
    env: {
      PATH: process.env.PATH,
      ROOT_ACCESS_KEY_ID: accessKey,
      ROOT_SECRET_ACCESS_KEY: secretKey,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  reapOnExit(child);
  let out = "";
  child.stdout.on("data", b => (out += b));
  child.stderr.on("data", b => (out += b));
  const exited = new Promise<void>(r => child.once("exit", () => r()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`versitygw exited: ${out}`);
    // Any HTTP answer (403 without credentials) means it serves.
    if (
      await fetch(endpoint).then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`versitygw not serving after 15 s: ${out}`);
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    endpoint,
    accessKey,
    secretKey,
    region: "us-east-1",
    createBucket: name => mkdirSync(join(root, name)),
    bucketDir: name => join(root, name),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The Secret data a COSI driver writes once it grants a BucketAccess (the `BucketInfo` key): here,
 * `bucket` on the S3 server. The cluster runs no COSI driver: tests create this Secret themselves.
 */
export function cosiBucketInfo(s3: S3Server, bucket: string): Record<string, string> {
  return {
    BucketInfo: JSON.stringify({
      spec: {
        bucketName: bucket,
        authenticationType: "Key",
        secretS3: {
          endpoint: s3.endpoint.replace("127.0.0.1", "localhost"),
          region: s3.region,
          accessKeyID: s3.accessKey,
          accessSecretKey: s3.secretKey,
        },
      },
    }),
  };
}
