import { planPrune, type FoundRepository, type PrunePlan } from "./plan";

/** What a run reports: on stdout and as the container's termination message (at most 4 KiB). */
export interface PruneSummary {
  dryRun: boolean;
  repositories: number;
  tags: number;
  deletedTags: string[];
  deletedManifests: number;
  keptShared: string[];
  bytes: number;
  errors: string[];
}

type Fs = {
  writeFileSync(path: string, data: string): void;
  readFileSync(path: string, encoding: "utf8"): string;
};

/**
 * The pruning program the Job runs (node, in the module's own controller image): reads every
 * repository, tag and manifest through the registry's API, plans with `planPrune`, deletes
 * manifests by digest (unless DRY_RUN) and reports a summary. Self-contained, like `planPrune`:
 * both travel as source text (see `pruneScript`). Settings come from the environment:
 * REGISTRY_URL, KEEP_TAG_REVISIONS, KEEP_YOUNGER_THAN_SECONDS, DRY_RUN, and when the registry
 * asks for a login REGISTRY_AUTH_FILE (a docker config.json) or REGISTRY_USERNAME/PASSWORD.
 */
export async function pruneMain(plan: typeof planPrune, fs: Fs): Promise<number> {
  const env = process.env;
  const base = (env.REGISTRY_URL ?? "").replace(/\/$/, "");
  const dryRun = env.DRY_RUN === "true";
  const headers: Record<string, string> = {};
  if (env.REGISTRY_AUTH_FILE) {
    // A push secret's config.json: the one login it holds.
    const config = JSON.parse(fs.readFileSync(env.REGISTRY_AUTH_FILE, "utf8")) as {
      auths?: Record<string, { auth?: string }>;
    };
    const login = Object.values(config.auths ?? {})[0]?.auth;
    if (login) headers.authorization = `Basic ${login}`;
  } else if (env.REGISTRY_USERNAME)
    headers.authorization = `Basic ${Buffer.from(`${env.REGISTRY_USERNAME}:${env.REGISTRY_PASSWORD ?? ""}`).toString("base64")}`;
  const MANIFESTS = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
  ].join(", ");
  const call = async (method: string, path: string, accept?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(accept ? { accept } : {}) },
    });
    if (!res.ok && !(method === "DELETE" && res.status === 404))
      throw new Error(`${method} ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    return res;
  };
  /** Every page of a paginated list (the Link header names the next). */
  const pages = async (path: string, key: string): Promise<string[]> => {
    const out: string[] = [];
    for (let next: string | undefined = path; next; ) {
      const res = await call("GET", next);
      out.push(...(((await res.json()) as Record<string, string[] | null>)[key] ?? []));
      const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "");
      next = link ? link[1] : undefined;
    }
    return out;
  };
  type Manifest = {
    manifests?: { digest: string }[];
    config?: { digest: string; size: number };
    layers?: { digest: string; size: number }[];
    annotations?: Record<string, string>;
  };
  const summary: PruneSummary = {
    dryRun,
    repositories: 0,
    tags: 0,
    deletedTags: [],
    deletedManifests: 0,
    keptShared: [],
    bytes: 0,
    errors: [],
  };
  const found: FoundRepository[] = [];
  for (const name of await pages("/v2/_catalog?n=100", "repositories")) {
    const repo: FoundRepository = { name, tags: [], manifests: {} };
    const created: Record<string, number> = {};
    /** Reads a manifest (and its children, and image configs): returns when it was built. */
    const read = async (ref: string): Promise<{ digest: string; created: number }> => {
      const res = await call("GET", `/v2/${name}/manifests/${ref}`, MANIFESTS);
      const digest = res.headers.get("docker-content-digest") ?? ref;
      if (repo.manifests[digest]) return { digest, created: created[digest] };
      const m = (await res.json()) as Manifest;
      repo.manifests[digest] = { digest, children: [], blobs: {} };
      let when = Date.parse(m.annotations?.["org.opencontainers.image.created"] ?? "") || 0;
      for (const child of m.manifests ?? []) {
        repo.manifests[digest].children.push(child.digest);
        when = Math.max(when, (await read(child.digest)).created);
      }
      for (const b of [...(m.config ? [m.config] : []), ...(m.layers ?? [])])
        repo.manifests[digest].blobs[b.digest] = b.size;
      if (m.config) {
        const config = await call("GET", `/v2/${name}/blobs/${m.config.digest}`);
        const built = ((await config.json()) as { created?: string }).created;
        when = Math.max(when, Date.parse(built ?? "") || 0);
      }
      created[digest] = when;
      return { digest, created: when };
    };
    let unread = 0;
    for (const tag of await pages(`/v2/${name}/tags/list?n=100`, "tags")) {
      try {
        repo.tags.push({ tag, ...(await read(tag)) });
      } catch (err) {
        unread++;
        summary.errors.push(`${name}:${tag}: ${String(err)}`);
      }
    }
    summary.repositories++;
    summary.tags += repo.tags.length + unread;
    // Nothing is deleted on a guess: a tag that could not be read may share an image with an
    // older one, so its whole repository is left alone this run.
    if (!unread) found.push(repo);
  }
  const planned: PrunePlan = plan(found, {
    keepTagRevisions: Number(env.KEEP_TAG_REVISIONS ?? 3),
    keepYoungerThanMs: Number(env.KEEP_YOUNGER_THAN_SECONDS ?? 3600) * 1000,
    now: Date.now(),
  });
  summary.deletedTags = planned.deletedTags;
  summary.keptShared = planned.keptShared;
  summary.bytes = planned.bytes;
  for (const d of planned.deletions) {
    if (dryRun) {
      summary.deletedManifests++;
      continue;
    }
    try {
      await call("DELETE", `/v2/${d.repository}/manifests/${d.digest}`);
      summary.deletedManifests++;
    } catch (err) {
      summary.errors.push(String(err));
    }
  }
  const line = JSON.stringify(summary);
  console.log(line);
  // The termination message (4 KiB at most) is what the operator reads back into the status.
  const short = JSON.stringify({
    ...summary,
    deletedTags: summary.deletedTags.slice(0, 20),
    keptShared: summary.keptShared.slice(0, 5),
    errors: summary.errors.slice(0, 3).map(e => e.slice(0, 300)),
  });
  try {
    fs.writeFileSync("/dev/termination-log", short.slice(0, 4000));
  } catch {
    // Not in a pod (a test): stdout has it.
  }
  return summary.errors.length ? 1 : 0;
}

/**
 * The name a bundler gave its keepNames helper, read off a function that needs it: esbuild with
 * keepNames wraps every named inner function in `__name(fn, "name")`, and `pepr build` minifies
 * that to a short name (`pepr dev` does not). Unbundled (ts-jest, tsx) there is none.
 */
function nameHelper(): string {
  const probe = () => {
    const inner = () => 0;
    return inner;
  };
  const text = probe.toString();
  const helper = /([\w$]+)\(\s*\(\)\s*=>\s*0\s*,\s*"inner"\s*\)/.exec(text)?.[1];
  // A bundle that wraps the probe in a way this does not read would ship a broken program.
  if (!helper && text.includes('"inner"')) throw new Error(`unreadable keepNames helper: ${text}`);
  return helper ?? "__name";
}

/**
 * The program as the file the Job runs: both functions as source text, whatever the bundler made
 * of them (the keepNames helper a bundler inserts is defined as a no-op, under its bundled name).
 */
export const pruneScript = (): string =>
  [
    '"use strict";',
    `var ${nameHelper()} = (f) => f;`,
    `(${pruneMain.toString()})(${planPrune.toString()}, require("node:fs"))`,
    "  .then((code) => process.exit(code), (err) => { console.error(String(err)); process.exit(2); });",
    "",
  ].join("\n");
