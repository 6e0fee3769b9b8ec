import { registryVersion, versionParts } from "../../api/version";

/** The registry versions whose configuration the operator renders. */
export const SUPPORTED_VERSIONS = "2.8.x (config format v2) or 3.x (v3)";

/**
 * An image whose tag names a registry version the operator cannot configure: before 2.8 (other
 * config keys) or a major after 3 (a format not known yet). Unversioned tags (`latest`, a digest)
 * are taken as the newest 3.x.
 */
export function versionProblems(image: string | undefined, field = "spec.image"): string[] {
  const v = image ? versionParts(image) : undefined;
  if (!v) return [];
  const [major, minor] = v;
  if (major === 3 || (major === 2 && (minor === undefined || minor >= 8))) return [];
  return [
    `${field}: registry ${registryVersion(image!).version} is not supported: this operator renders the configuration of ${SUPPORTED_VERSIONS}`,
  ];
}

/**
 * A change of image from 3.x (or an unversioned tag, taken as the newest 3.x) back to 2.x:
 * refused, as its pods would start on a configuration and data written for the newer server.
 * Forward (2.8 to 3.x), the configuration is rendered again in the v3 format.
 */
export function downgradeProblems(
  oldImage: string | undefined,
  newImage: string | undefined,
  field = "spec.image",
  remedy = "set an image of the 3.x line, or create a new Registry for the older version",
): string[] {
  if (!oldImage || !newImage || oldImage === newImage) return [];
  if (registryVersion(oldImage).format !== "v3" || registryVersion(newImage).format !== "v2")
    return [];
  return [
    `${field}: cannot go back from ${oldImage} to ${newImage}: a downgrade from registry 3 to 2 is not supported; ${remedy}`,
  ];
}

/**
 * The images a stored Registry or Cache runs or ran healthy (status.image, lastHealthyImage, the
 * image a rollback returned to): setting spec.image back to one of them is never a downgrade.
 */
export function runningImages(stored: unknown): string[] {
  const status = (stored as { status?: Record<string, unknown> } | undefined)?.status ?? {};
  const rollback = status.rollback as { to?: unknown } | undefined;
  return [status.image, status.lastHealthyImage, rollback?.to].filter(
    (i): i is string => typeof i === "string",
  );
}

/**
 * Version problems of an image that is new (created, or changed on update): stored ones stay,
 * and so may one the object runs (`running`: after a failed upgrade to 3.x was rolled back to
 * 2.8, spec.image may name 2.8 again).
 */
export function imageProblems(
  oldImage: string | undefined,
  newImage: string | undefined,
  isUpdate: boolean,
  field = "spec.image",
  running: string[] = [],
): string[] {
  if (isUpdate && (oldImage === newImage || (newImage && running.includes(newImage)))) return [];
  return [
    ...versionProblems(newImage, field),
    ...(isUpdate ? downgradeProblems(oldImage, newImage, field) : []),
  ];
}
