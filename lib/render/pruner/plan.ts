// Which manifests a prune run deletes. Pure and self-contained: it is also shipped, as its source
// text, inside the program the pruner's Job runs (program.ts), so it refers to nothing outside
// its own body.

/** One tag as the pruning program found it. */
export interface FoundTag {
  tag: string;
  /** The digest the tag points at. */
  digest: string;
  /** When the image was built (the config's `created`, an index's newest child's), ms; 0 when unknown. */
  created: number;
}

/** One manifest: what it references (an index's children, an image's config and layers). */
export interface FoundManifest {
  digest: string;
  /** Children of an index (multi-arch). */
  children: string[];
  /** Blobs (config and layers) with their sizes. */
  blobs: Record<string, number>;
}

export interface FoundRepository {
  name: string;
  tags: FoundTag[];
  manifests: Record<string, FoundManifest>;
}

export interface PruneOptions {
  keepTagRevisions: number;
  keepYoungerThanMs: number;
  now: number;
}

export interface PrunePlan {
  /** Tags removed, `repo:tag`. */
  deletedTags: string[];
  /** Manifests deleted by digest, per repository, indexes before their children. */
  deletions: { repository: string; digest: string }[];
  /** Tags that would have gone but point at an image a kept tag also names. */
  keptShared: string[];
  /** Bytes of blobs no kept manifest references any more (freed by garbage collection). */
  bytes: number;
}

/**
 * Per repository: the newest `keepTagRevisions` tags stay (and any built at the same time as the
 * last of them), and every tag younger than `keepYoungerThanMs`; the others go, by deleting the manifest they point at — unless a kept tag
 * points at it too. A deleted index takes its children along, except children a kept manifest
 * (or another tag) still references: a multi-arch image is never left without a platform.
 */
export function planPrune(repositories: FoundRepository[], o: PruneOptions): PrunePlan {
  // Inside the function: it travels as its own source text.
  const KNOWN_SINCE = Date.UTC(1980, 0, 2);
  const plan: PrunePlan = { deletedTags: [], deletions: [], keptShared: [], bytes: 0 };
  const keptBlobs: Record<string, true> = {};
  const goneBlobs: Record<string, number> = {};
  for (const repo of repositories) {
    const byAge = repo.tags
      .slice()
      .sort((a, b) => b.created - a.created || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
    // Tags built at the same time as the last one kept rank equal and stay with it: with
    // reproducible builds (one fixed build time) no tag is newer than another, and none goes.
    const floor = o.keepTagRevisions > 0 ? byAge[o.keepTagRevisions - 1]?.created : undefined;
    const keep = byAge.filter(
      (t, i) =>
        // An image whose build time is unknown (none, or a fixed one such as the year 1 or
        // 1970 that signatures and reproducible builds carry) cannot be shown old: it stays.
        t.created < KNOWN_SINCE ||
        i < o.keepTagRevisions ||
        (floor !== undefined && t.created >= floor) ||
        o.now - t.created < o.keepYoungerThanMs,
    );
    const keptTags: Record<string, true> = {};
    for (const t of keep) keptTags[t.tag] = true;
    // Everything a kept tag reaches, children of indexes included.
    const reached: Record<string, true> = {};
    const reach = (digest: string) => {
      if (reached[digest]) return;
      reached[digest] = true;
      for (const c of repo.manifests[digest]?.children ?? []) reach(c);
    };
    for (const t of keep) reach(t.digest);
    const doomed: Record<string, true> = {};
    for (const t of byAge) {
      if (keptTags[t.tag]) continue;
      if (reached[t.digest]) {
        plan.keptShared.push(`${repo.name}:${t.tag}`);
        continue;
      }
      plan.deletedTags.push(`${repo.name}:${t.tag}`);
      doomed[t.digest] = true;
    }
    // Children go after their index, and only when nothing kept reaches them.
    const order: string[] = [];
    const visit = (digest: string) => {
      if (order.includes(digest) || reached[digest]) return;
      order.push(digest);
      for (const c of repo.manifests[digest]?.children ?? []) visit(c);
    };
    for (const digest of Object.keys(doomed)) visit(digest);
    for (const digest of order) plan.deletions.push({ repository: repo.name, digest });
    for (const digest of Object.keys(reached))
      for (const b of Object.keys(repo.manifests[digest]?.blobs ?? {})) keptBlobs[b] = true;
    for (const digest of order)
      for (const [b, size] of Object.entries(repo.manifests[digest]?.blobs ?? {}))
        goneBlobs[b] = size;
  }
  for (const [b, size] of Object.entries(goneBlobs)) if (!keptBlobs[b]) plan.bytes += size;
  return plan;
}
