import { parseImage } from "./fields/image";

export type ConfigFormat = "v2" | "v3";

export interface RegistryVersion {
  format: ConfigFormat;
  /** The version from the tag, when it names one (`2.8.3`, `3`, `v3.0.0`). */
  version?: string;
}

/**
 * The config format of a registry image, read from its tag: major 2 → v2, anything else → v3 (the
 * default image's format). A digest-only or unversioned tag (`latest`, a date) counts as v3.
 */
export function registryVersion(image: string): RegistryVersion {
  const tag = parseImage(image)?.tag;
  // A version is one or two digits of major, up to two more parts, then the end or a suffix
  // (`-alpine`): a date (2024.01) or a commit hash (0a1b2c3) is no version.
  const m = tag ? /^v?(\d{1,2})(?:\.\d+){0,2}(?=$|[-+_])/.exec(tag) : null;
  if (!m) return { format: "v3" };
  return { format: m[1] === "2" ? "v2" : "v3", version: m[0].replace(/^v/, "") };
}

/** `[major, minor]` of the image's tag, when it names a version (minor undefined for `3`). */
export function versionParts(image: string): [number, number | undefined] | undefined {
  const { version } = registryVersion(image);
  if (!version) return undefined;
  const [major, minor] = version.split(".").map(Number);
  return [major, minor];
}

/**
 * Whether the image's registry is at least `major.minor`. A tag naming only a major (`3`) means
 * that line's newest release, and an unversioned tag (`latest`, a digest) the newest release of
 * all, so both count as recent enough.
 */
export function registryAtLeast(image: string, major: number, minor: number): boolean {
  const parts = versionParts(image);
  if (!parts) return true;
  const [maj, min] = parts;
  if (maj !== major) return maj > major;
  return min === undefined || min >= minor;
}

/** Where each format's image reads its configuration. */
export const CONFIG_PATH: Record<ConfigFormat, string> = {
  v2: "/etc/docker/registry/config.yml",
  v3: "/etc/distribution/config.yml",
};
