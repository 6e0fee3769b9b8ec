// Rendering as a test states it: the owner's name, namespace and uid, its spec and what a pass
// found, in one object — the context reconcile builds (lib/controllers/workload.ts) made here.
import type { CacheSpec } from "../../lib/api/cache-spec";
import type { RegistrySpec } from "../../lib/api/registry-spec";
import { cacheContext, renderCache } from "../../lib/render/cache";
import { renderContext } from "../../lib/render/context";
import { resolveRegistry } from "../../lib/admission/resolve";
import { renderRegistry, type Rendered, type RenderExtras } from "../../lib/render/registry";

type Owned<S> = { name: string; namespace: string; uid: string; spec: S };

/** A Registry's children, config and generated Secrets. */
export const renderRegistryOf = ({
  name,
  namespace,
  uid,
  spec,
  ...extras
}: Owned<RegistrySpec> & RenderExtras): Rendered =>
  renderRegistry(renderContext(name, namespace, uid, spec), extras);

/** A Cache's. */
export const renderCacheOf = ({
  name,
  namespace,
  uid,
  spec,
  ...extras
}: Owned<CacheSpec> & Parameters<typeof renderCache>[2]): Rendered =>
  renderCache(cacheContext(name, namespace, uid, spec), spec, extras);

/**
 * A Registry `reg` in `ns` from a spec as a user writes it: resolved by admission first (defaults,
 * as stored in the cluster), then rendered.
 */
export const renderResolvedRegistry = (spec: object, extras: RenderExtras = {}, name = "reg") =>
  renderRegistryOf({
    name,
    namespace: "ns",
    uid: "uid-1",
    spec: resolveRegistry({ incoming: { spec } }).spec as RegistrySpec,
    ...extras,
  });
