import { GROUP } from "../../api/group";

/** On a ServiceAccount: the pull secrets the operator added (comma-separated), and only those it removes. */
export const INJECTED_ANNOTATION = `${GROUP}/injected-pull-secrets`;

export interface ServiceAccountLike {
  metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
  imagePullSecrets?: { name?: string }[];
}

/** A ServiceAccount's pull secrets after a change, and the ones the operator added among them. */
export interface PullSecretChange {
  imagePullSecrets: { name?: string }[];
  injected: string[];
}

const injectedOf = (sa: ServiceAccountLike) =>
  (sa.metadata?.annotations?.[INJECTED_ANNOTATION] ?? "").split(",").filter(Boolean);

/**
 * What putting `secret` into the ServiceAccount's imagePullSecrets (`want`) or taking it out
 * changes, or undefined when nothing. It is taken out only when the operator put it there (the
 * annotation says so): a pull secret the user listed stays, and one already listed is not claimed.
 */
export function pullSecretChange(
  sa: ServiceAccountLike,
  secret: string,
  want: boolean,
): PullSecretChange | undefined {
  const listed = sa.imagePullSecrets ?? [];
  const injected = injectedOf(sa);
  if (want && !listed.some(r => r.name === secret))
    return { imagePullSecrets: [...listed, { name: secret }], injected: [...injected, secret] };
  if (!want && injected.includes(secret))
    return {
      imagePullSecrets: listed.filter(r => r.name !== secret),
      injected: injected.filter(n => n !== secret),
    };
  return undefined;
}

const escape = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * The change as a JSON patch that applies only to the version read (`test` of resourceVersion):
 * an edit made in between fails it with a conflict, and it is read again, never written over.
 */
export function pullSecretPatch(sa: ServiceAccountLike, change: PullSecretChange) {
  const annotation = `/metadata/annotations/${escape(INJECTED_ANNOTATION)}`;
  const value = change.injected.join(",");
  const annotationOps = !sa.metadata?.annotations
    ? [
        {
          op: "add" as const,
          path: "/metadata/annotations",
          value: { [INJECTED_ANNOTATION]: value },
        },
      ]
    : value
      ? [{ op: "add" as const, path: annotation, value }]
      : [{ op: "remove" as const, path: annotation }];
  return [
    { op: "test" as const, path: "/metadata/resourceVersion", value: sa.metadata?.resourceVersion },
    { op: "add" as const, path: "/imagePullSecrets", value: change.imagePullSecrets },
    ...annotationOps,
  ];
}

/** The change made to the object itself (admission mutates the ServiceAccount being created). */
export function applyPullSecretChange(sa: ServiceAccountLike, change: PullSecretChange): void {
  const annotations = { ...(sa.metadata?.annotations ?? {}) };
  if (change.injected.length) annotations[INJECTED_ANNOTATION] = change.injected.join(",");
  else delete annotations[INJECTED_ANNOTATION];
  sa.metadata = { ...(sa.metadata ?? {}), annotations };
  sa.imagePullSecrets = change.imagePullSecrets;
}
