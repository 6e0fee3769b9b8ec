import { z } from "zod";
import { matches, schemaRules } from "./schema-rule";

// The reference grammar of distribution/reference: [host[:port]/]path[:tag][@digest].
const HOST_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const HOST = `(?:${HOST_PART}(?:\\.${HOST_PART})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const NAME = `(?:${HOST}/)?${PATH_PART}(?:/${PATH_PART})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
// A first path part with no dot (nor port): clients would take one with a dot for a host.
const FIRST_PART = "[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*";
/** A repository of one registry, as a reference without the host: `path[:tag][@digest]`. */
export const REPOSITORY_REFERENCE = new RegExp(
  `^${FIRST_PART}(?:/${PATH_PART})*(?::${TAG})?(?:@${DIGEST})?$`,
);

export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

/** Splits an image reference, or returns undefined when it is not a valid one. */
export function parseImage(ref: string): ImageReference | undefined {
  const m = REFERENCE.exec(ref);
  if (!m || m[1].length > 255) return undefined;
  // A lone "host:port" matches NAME plus TAG; a path part must follow a host with a port.
  return { name: m[1], tag: m[2], digest: m[3] };
}

const MESSAGE =
  'must be a valid image reference such as "registry:3.0.0" or "ghcr.io/org/registry@sha256:…"';

// The schema checks the grammar; the 255-character limit of the name part only the webhook does.
export const Image = z
  .string()
  .max(1024)
  .refine(v => parseImage(v) !== undefined, { message: MESSAGE })
  .meta(schemaRules(matches(REFERENCE, MESSAGE)));
