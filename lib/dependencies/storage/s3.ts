import type { RenderContext } from "../../render/context";
import type { EnvVar } from "../../kubernetes/objects";
import { STORAGE_READY, type StorageDriver } from "./driver";
import type { Dependency } from "../dependency";

export const fromSecret = (name: string, secret: string, key: string): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** An S3 bucket; the access keys reach the container from the user's Secret, never the config. */
export const s3Driver: StorageDriver = {
  config: ({ spec }: RenderContext) => {
    const s3 = spec.storage!.s3!;
    return {
      s3: {
        bucket: s3.bucket,
        region: s3.region,
        ...(s3.endpoint ? { regionendpoint: s3.endpoint } : {}),
        ...(s3.forcePathStyle !== undefined ? { forcepathstyle: s3.forcePathStyle } : {}),
        ...(s3.rootDirectory ? { rootdirectory: s3.rootDirectory } : {}),
        ...(s3.encrypt !== undefined ? { encrypt: s3.encrypt } : {}),
      },
    };
  },
  env: ({ spec }: RenderContext) => {
    const ref = spec.storage!.s3!.secretRef;
    return [
      fromSecret(
        "REGISTRY_STORAGE_S3_ACCESSKEY",
        ref.name,
        ref.accessKeyKey ?? "AWS_ACCESS_KEY_ID",
      ),
      fromSecret(
        "REGISTRY_STORAGE_S3_SECRETKEY",
        ref.name,
        ref.secretKeyKey ?? "AWS_SECRET_ACCESS_KEY",
      ),
    ];
  },
  volumes: () => ({ volumes: [], mounts: [] }),
  provision: () => [],
  singleWriter: () => false,
  observe: async ({ spec, namespace }, read): Promise<Dependency> => {
    const ref = spec.storage!.s3!.secretRef;
    const secret = await read.object("v1", "Secret", namespace, ref.name);
    const found = { type: STORAGE_READY };
    return secret
      ? {
          ...found,
          ready: true,
          reason: "CredentialsFound",
          message: `Bucket ${spec.storage!.s3!.bucket}; keys from Secret ${ref.name}.`,
        }
      : {
          ...found,
          ready: false,
          reason: "CredentialsSecretMissing",
          message: `Secret ${ref.name} (spec.storage.s3.secretRef) does not exist.`,
        };
  },
};
