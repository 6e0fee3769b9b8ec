import { storageKinds, type RegistrySpec, type StorageKind } from "../../api/registry-spec";
import type { StorageDriver } from "./driver";
import { emptyDirDriver, filesystemDriver } from "./local";
import { cosiDriver } from "./cosi";
import { s3Driver } from "./s3";
import type { Observe } from "../dependency";

const DRIVERS: Record<StorageKind, StorageDriver> = {
  emptyDir: emptyDirDriver,
  filesystem: filesystemDriver,
  s3: s3Driver,
  cosi: cosiDriver,
};

/** Storage not ready (a claim binding, a user's or the COSI driver's Secret): look again this often. */
const STORAGE_POLL_MS = 5_000;

/** The driver of a resolved spec's (single) storage kind; emptyDir when none is set. */
export function storageDriver(spec: RegistrySpec): { kind: StorageKind; driver: StorageDriver } {
  const kind = storageKinds(spec.storage)[0] ?? "emptyDir";
  return { kind, driver: DRIVERS[kind] };
}

/** `StorageReady` of the spec's storage kind, from its driver's observe half. */
export const observeStorage: Observe = async (ctx, read) => {
  const state = await storageDriver(ctx.spec).driver.observe(ctx, read);
  return state.ready ? state : { ...state, recheckMs: STORAGE_POLL_MS };
};
