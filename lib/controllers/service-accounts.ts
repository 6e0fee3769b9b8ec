import { namesServiceAccount } from "../api/fields/service-accounts";
import { client } from "../engine/kinds";
import { describeError } from "../kube/errors";
import { recordEvent } from "../engine/events";
import { childData } from "../engine/apply";
import type { ImagePullSecret } from "../api/kinds";
import {
  pullSecretChange,
  pullSecretPatch,
  type ServiceAccountLike,
} from "../render/credentials/service-accounts";

/**
 * Puts the pull secret `secret` into the imagePullSecrets of the ServiceAccounts of `namespace`
 * that `names` selects, and takes it out of the others where the operator put it.
 * @returns the ServiceAccounts that hold it (by the operator's hand or their own), and what failed
 */
export async function syncServiceAccounts(
  namespace: string,
  secret: string,
  names: readonly string[] | undefined,
): Promise<{ holding: string[]; failures: string[] }> {
  const accounts = client<ServiceAccountLike>("v1", "ServiceAccount").InNamespace(namespace);
  const { items } = await accounts.Get();
  const holding: string[] = [];
  const failures: string[] = [];
  for (const sa of items) {
    const name = sa.metadata?.name ?? "";
    const want = namesServiceAccount(names, name);
    const change = pullSecretChange(sa, secret, want);
    if (want) holding.push(name);
    if (!change) continue;
    try {
      await client("v1", "ServiceAccount", { namespace, name }).Patch(pullSecretPatch(sa, change));
    } catch (err) {
      // A conflict (edited since it was read) is retried with the next pass.
      failures.push(`ServiceAccount/${name}: ${describeError(err)}`);
    }
  }
  return { holding: holding.sort(), failures };
}

/**
 * The pull secret of an ImagePullSecret into the ServiceAccounts its `serviceAccounts` names (and
 * out of those it no longer names), once its Secret exists; undefined when it never asked for it.
 */
export async function injectPullSecret(
  c: ImagePullSecret,
  names: readonly string[] | undefined,
): Promise<{ holding: string[]; failures: string[] } | undefined> {
  const { namespace, name } = c.metadata as { namespace: string; name: string };
  // A status field (even an empty list) says it asked before: what it added may still be there.
  if (!names?.length && c.status?.serviceAccounts === undefined) return undefined;
  const before = c.status?.serviceAccounts ?? [];
  if (!(await childData("Secret", namespace, name))) return undefined; // not written yet
  const done = await syncServiceAccounts(namespace, name, names);
  const added = done.holding.filter(n => !before.includes(n));
  if (added.length)
    await recordEvent(
      c,
      "Normal",
      "PullSecretInjected",
      `Added Secret ${name} to the imagePullSecrets of ServiceAccounts ${added.join(", ")}.`,
    );
  return done;
}

/** A deleted ImagePullSecret's pull secret out of every ServiceAccount the operator put it in. */
export async function withdrawPullSecret(namespace: string, name: string): Promise<void> {
  const { failures } = await syncServiceAccounts(namespace, name, []);
  if (failures.length)
    throw new Error(`could not withdraw pull secret ${name}: ${failures.join("; ")}`);
}
