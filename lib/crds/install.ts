import { Log, type kind } from "pepr";
import { client } from "../engine/kinds";
import { customResourceDefinitions } from "../api/crds";

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Applies this module's CRDs (server-side, taking ownership) and waits until the API server serves
 * them, so a plain `pepr deploy` yields a usable API and an upgraded module upgrades its schema.
 * Retries with backoff: the API server may still be starting.
 */
export async function installCrds(attempts = 8): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      for (const crd of customResourceDefinitions()) {
        await client("apiextensions.k8s.io/v1", "CustomResourceDefinition").Apply(crd, {
          force: true,
        });
      }
      await waitEstablished();
      Log.info("CRDs installed");
      return;
    } catch (err) {
      if (i >= attempts) throw err;
      Log.warn({ err }, `installing CRDs failed (attempt ${i} of ${attempts}); retrying`);
      await sleep(Math.min(1000 * 2 ** i, 30_000));
    }
  }
}

async function waitEstablished(): Promise<void> {
  for (const crd of customResourceDefinitions()) {
    for (let i = 0; ; i++) {
      const live = await client<kind.CustomResourceDefinition>(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
      ).Get(crd.metadata.name);
      if (live.status?.conditions?.some(c => c.type === "Established" && c.status === "True"))
        break;
      if (i > 60) throw new Error(`CRD ${crd.metadata.name} is not Established after 30s`);
      await sleep(500);
    }
  }
}

/**
 * Installs the CRDs, or ends the process: a watcher running against kinds the API server does not
 * serve would only log errors, while an exit restarts the pod with backoff and shows why.
 */
export async function installCrdsOrExit(
  install: () => Promise<void> = installCrds,
  exit: (code: number) => void = code => process.exit(code),
): Promise<boolean> {
  try {
    await install();
    return true;
  } catch (err) {
    Log.error(
      { err },
      "could not install the CRDs (is the ClusterRole missing create/patch on customresourcedefinitions?); exiting so the pod restarts with backoff",
    );
    exit(1);
    return false;
  }
}
