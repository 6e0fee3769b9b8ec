// Builds OCI image layouts on disk from random content, so every digest is known before a push and
// can be compared after a pull. Layers are real tar archives (one random file each).
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const MEDIA = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  layerTar: "application/vnd.oci.image.layer.v1.tar",
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string };
}

export const sha256 = (b: Buffer): string =>
  `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** A ustar archive holding one regular file. */
function tarOf(name: string, data: Buffer): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
  h.write("00000000000\0", 136);
  h.fill(" ", 148, 156);
  h.write("0", 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  const sum = h.reduce((a, b) => a + b, 0);
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([h, data, pad, Buffer.alloc(1024)]);
}

export class OciLayout {
  constructor(readonly dir: string) {
    mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
    writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  }

  blob(content: Buffer, mediaType: string): Descriptor {
    const digest = sha256(content);
    writeFileSync(join(this.dir, "blobs", "sha256", digest.slice(7)), content);
    return { mediaType, digest, size: content.length };
  }

  json(value: object, mediaType: string): Descriptor {
    return this.blob(Buffer.from(JSON.stringify(value)), mediaType);
  }

  /**
   * An image of `layerSizes.length` layers, each a tar of that many random bytes; `created` (RFC
   * 3339) is when its config says it was built.
   */
  image(
    layerSizes: number[],
    platform = { os: "linux", architecture: "amd64" },
    gzip = true,
    created?: string,
  ) {
    const diffIds: string[] = [];
    const layers = layerSizes.map((size, i) => {
      const tar = tarOf(`layer-${i}.bin`, randomBytes(size));
      diffIds.push(sha256(tar));
      return gzip
        ? this.blob(gzipSync(tar, { level: 1 }), MEDIA.layerGzip)
        : this.blob(tar, MEDIA.layerTar);
    });
    const config = this.json(
      {
        ...(created ? { created } : {}),
        ...platform,
        rootfs: { type: "layers", diff_ids: diffIds },
        config: {},
      },
      MEDIA.config,
    );
    const manifest = this.json(
      { schemaVersion: 2, mediaType: MEDIA.manifest, config, layers },
      MEDIA.manifest,
    );
    return { ...manifest, platform };
  }

  /** A multi-arch index of one image per architecture. */
  index(architectures: string[], layerSizes: number[], created?: string): Descriptor {
    const manifests = architectures.map(architecture =>
      this.image(layerSizes, { os: "linux", architecture }, true, created),
    );
    return this.json({ schemaVersion: 2, mediaType: MEDIA.index, manifests }, MEDIA.index);
  }

  /** The digests of `root` and every blob it references, directly or through child manifests. */
  reachable(root: Descriptor): Set<string> {
    const out = new Set<string>([root.digest]);
    if (root.mediaType !== MEDIA.index && root.mediaType !== MEDIA.manifest) return out;
    const doc = JSON.parse(
      readFileSync(join(this.dir, "blobs", "sha256", root.digest.slice(7)), "utf8"),
    ) as { manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
    const children = [
      ...(doc.manifests ?? []),
      ...(doc.config ? [doc.config] : []),
      ...(doc.layers ?? []),
    ];
    for (const c of children) for (const d of this.reachable(c)) out.add(d);
    return out;
  }

  /** Makes `root` the layout's single entry (what `crane push DIR REF` pushes). */
  setRoot(root: Descriptor): this {
    writeFileSync(
      join(this.dir, "index.json"),
      JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: [root] }),
    );
    return this;
  }
}

export interface ReadLayout {
  /** The digest of the layout's single entry. */
  root: string;
  /** Blob digests whose content hashes to their name. */
  blobs: Set<string>;
  /** Blobs whose content does not match their digest. */
  corrupt: string[];
  bytes: number;
}

/** Reads a layout written by `crane pull --format oci`, checking every blob against its digest. */
export function readLayout(dir: string): ReadLayout {
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as {
    manifests: Descriptor[];
  };
  const blobs = new Set<string>();
  const corrupt: string[] = [];
  let bytes = 0;
  for (const name of readdirSync(join(dir, "blobs", "sha256"))) {
    const content = readFileSync(join(dir, "blobs", "sha256", name));
    bytes += content.length;
    if (sha256(content) === `sha256:${name}`) blobs.add(`sha256:${name}`);
    else corrupt.push(`sha256:${name}`);
  }
  if (index.manifests.length !== 1)
    throw new Error(`${dir}: expected one entry, found ${index.manifests.length}`);
  return { root: index.manifests[0].digest, blobs, corrupt, bytes };
}
