import { ACCOUNT_LABELS } from "../../api/labels";
import type { ChildData, Observe, Reader } from "../dependency";
import { checkHtpasswd, HTPASSWD_KEY, usersOf } from "./htpasswd";
import { accountEntries, uniqueUsers } from "./accounts";
import { RESERVED_USER_PREFIXES } from "../../api/credentials";
import { allowedDescription, namespaceLetIn } from "./allowed";

/** The condition type of the registry's authentication. */
export const AUTH_READY = "AuthReady";

type Account = ChildData;

/** The accounts whose namespace may hold one on this registry, and the namespaces refused. */
async function admitted(
  accounts: Account[],
  ctx: Parameters<Observe>[0],
  read: Reader,
): Promise<{ kept: Account[]; refused: string[] }> {
  // Each namespace decided once, its labels read only when the decision needs them.
  const allowed = new Set<string>();
  for (const ns of new Set(accounts.map(a => a.namespace)))
    if (await namespaceLetIn(ctx.spec.auth, ctx.namespace, ns, read.namespaceLabels))
      allowed.add(ns);
  const ok = (ns: string) => allowed.has(ns);
  return {
    kept: accounts.filter(a => ok(a.namespace)),
    refused: [...new Set(accounts.filter(a => !ok(a.namespace)).map(a => a.namespace))].sort(),
  };
}

/** The entries of the user's own htpasswd Secret (`auth.htpasswd.secretRef`), or why none are used. */
async function userEntries(
  ctx: Parameters<Observe>[0],
  read: Reader,
): Promise<{ entries: string[]; problem?: { reason: string; message: string } }> {
  const ref = ctx.spec.auth?.htpasswd?.secretRef;
  if (!ref) return { entries: [] };
  const key = ref.key ?? HTPASSWD_KEY;
  const text = (await read.data("Secret", ctx.namespace, ref.name))?.[key];
  if (text === undefined)
    return {
      entries: [],
      problem: {
        reason: "SecretNotFound",
        message: `Secret ${ref.name} (spec.auth.htpasswd.secretRef) has no key ${key}`,
      },
    };
  const { entries, problems } = checkHtpasswd(text);
  usersOf(entries).forEach((user, i) => {
    if (RESERVED_USER_PREFIXES.some(p => user.startsWith(p)))
      problems.push(
        `entry ${i + 1} has a user name starting with ${RESERVED_USER_PREFIXES.join(" or ")}, which managed accounts use`,
      );
  });
  // All or nothing: a file with a bad line is not half-used.
  if (problems.length)
    return {
      entries: [],
      problem: {
        reason: "InvalidHtpasswd",
        message: `Secret ${ref.name} key ${key} (spec.auth.htpasswd.secretRef) is not used: ${problems.join("; ")}`,
      },
    };
  return { entries };
}

/**
 * The observe half of authentication: the htpasswd file the registry serves, from the account of
 * every ImagePullSecret and ImagePushSecret that targets it (from namespaces it allows) and the
 * user's own entries. Undefined — no authentication — while `auth` is not set and no credential
 * targets the registry. The file goes to the render half only (`found`).
 */
export const observeAuth: Observe = async (ctx, read) => {
  const accounts = await read.childrenData("Secret", {
    [ACCOUNT_LABELS.registry]: ctx.names.workload,
    [ACCOUNT_LABELS.namespace]: ctx.namespace,
  });
  // Any auth setting keeps it on, also with no account (closed, not anonymous): `token`, not acted
  // on yet, serves an empty htpasswd file rather than nothing.
  if (!ctx.spec.auth && !accounts.length) return undefined;
  const { kept, refused } = await admitted(accounts, ctx, read);
  const user = await userEntries(ctx, read);
  const ordered = [...kept].sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
  const lines = uniqueUsers([...ordered.flatMap(accountEntries), ...user.entries]);
  const from = user.entries.length ? ` and ${user.entries.length} entries of your Secret` : "";
  const notAllowed = refused.length
    ? ` Credentials in ${refused.join(", ")} are not let in: the registry allows ${allowedDescription(ctx.spec.auth, ctx.namespace)}.`
    : "";
  const summary = `Basic auth (htpasswd) with ${kept.length} managed accounts${from}.${notAllowed}`;
  return {
    type: AUTH_READY,
    ready: !user.problem,
    reason: user.problem?.reason ?? "Htpasswd",
    message: user.problem ? `${user.problem.message}. ${summary}` : summary,
    found: { [HTPASSWD_KEY]: lines.map(l => `${l}\n`).join("") },
  };
};
