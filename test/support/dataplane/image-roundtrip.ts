// Pushes an OCI layout to a registry with crane, pulls it back into a fresh layout, and reports
// what differs: the root digest the registry serves, and any blob missing or altered on the way.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { digestOf, pullLayout, pushLayout, type CraneEnv } from "./crane";
import type { Descriptor, OciLayout } from "./oci-layout";
import { readLayout } from "./oci-layout";

export interface RoundTrip {
  ref: string;
  /** What was pushed, what the registry resolves the tag to, what came back. */
  digests: { pushed: string; served: string; pulled: string };
  /** Pushed blobs absent from, or corrupt in, the pulled layout. */
  missing: string[];
  corrupt: string[];
  bytes: number;
  pushMs: number;
  pullMs: number;
}

/** Pulls `ref` into a fresh layout and compares it with `root` as built in `layout`. */
export async function pullCompare(
  layout: OciLayout,
  root: Descriptor,
  ref: string,
  scratch: string,
  env?: CraneEnv,
): Promise<Omit<RoundTrip, "pushMs">> {
  const served = await digestOf(ref, env);
  const dir = mkdtempSync(join(scratch, "pull-"));
  try {
    const pull = await pullLayout(ref, dir, env);
    const got = readLayout(dir);
    return {
      ref,
      digests: { pushed: root.digest, served, pulled: got.root },
      missing: [...layout.reachable(root)].filter(b => !got.blobs.has(b)),
      corrupt: got.corrupt,
      bytes: got.bytes,
      pullMs: pull.ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Pulls `ref` and expects `root` whole: the digest pushed is served and pulled, no blob missing. */
export async function expectServedWhole(
  layout: OciLayout,
  root: Descriptor,
  ref: string,
  scratch: string,
  env?: CraneEnv,
): Promise<void> {
  const pulled = await pullCompare(layout, root, ref, scratch, env);
  expect(pulled.digests).toEqual({ pushed: root.digest, served: root.digest, pulled: root.digest });
  expect(pulled.missing).toEqual([]);
}

export async function roundTrip(
  layout: OciLayout,
  root: Descriptor,
  ref: string,
  scratch: string,
  env?: CraneEnv,
): Promise<RoundTrip> {
  layout.setRoot(root);
  const push = await pushLayout(layout.dir, ref, env);
  return { ...(await pullCompare(layout, root, ref, scratch, env)), pushMs: push.ms };
}
