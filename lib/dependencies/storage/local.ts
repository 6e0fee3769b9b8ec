import type { kind } from "pepr";
import type { RenderContext } from "../../render/context";
import { DEFAULT_EMPTYDIR_SIZE, DEFAULT_FILESYSTEM_SIZE } from "../../api/defaults";
import { DATA_DIR, STORAGE_READY, type StorageDriver } from "./driver";

const filesystemConfig = () => ({ filesystem: { rootdirectory: DATA_DIR } });
const mount = { name: "data", mountPath: DATA_DIR };

/** Ephemeral storage on the node: an emptyDir with a size limit. */
export const emptyDirDriver: StorageDriver = {
  config: filesystemConfig,
  env: () => [],
  volumes: ({ spec }: RenderContext) => ({
    volumes: [
      {
        name: "data",
        emptyDir: { sizeLimit: String(spec.storage?.emptyDir?.sizeLimit ?? DEFAULT_EMPTYDIR_SIZE) },
      },
    ],
    mounts: [mount],
  }),
  provision: () => [],
  singleWriter: () => false,
  observe: async () => ({
    type: STORAGE_READY,
    ready: true,
    reason: "EmptyDir",
    message: "Ephemeral storage: images are lost when a pod goes.",
  }),
};

/** A PersistentVolumeClaim: one replica, rolled out by recreate unless the claim is ReadWriteMany. */
export const filesystemDriver: StorageDriver = {
  config: filesystemConfig,
  env: () => [],
  volumes: ({ names }: RenderContext) => ({
    volumes: [{ name: "data", persistentVolumeClaim: { claimName: names.data } }],
    mounts: [mount],
  }),
  provision: ({ spec, names, namespace, labels }: RenderContext) => {
    const fs = spec.storage?.filesystem ?? {};
    return [
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: names.data, namespace, labels },
        spec: {
          accessModes: fs.accessModes ?? ["ReadWriteOnce"],
          resources: { requests: { storage: String(fs.size ?? DEFAULT_FILESYSTEM_SIZE) } },
          ...(fs.storageClassName ? { storageClassName: fs.storageClassName } : {}),
        },
      } satisfies kind.PersistentVolumeClaim,
    ];
  },
  // A ReadWriteOnce claim (the default) mounts on one node, where the old pod holds it: the new
  // pod can start only once the old one is gone. ReadWriteMany ones can roll.
  singleWriter: spec => !(spec.storage?.filesystem?.accessModes ?? []).includes("ReadWriteMany"),
  observe: async ({ names, namespace }, read) => {
    const pvc = await read.object("v1", "PersistentVolumeClaim", namespace, names.data);
    const phase = (pvc?.status as { phase?: string } | undefined)?.phase ?? "Missing";
    return phase === "Bound"
      ? {
          type: STORAGE_READY,
          ready: true,
          reason: "ClaimBound",
          message: `PersistentVolumeClaim ${names.data} is bound.`,
        }
      : {
          type: STORAGE_READY,
          ready: false,
          reason: "ClaimNotBound",
          message: `PersistentVolumeClaim ${names.data} is ${phase}.`,
        };
  },
};
