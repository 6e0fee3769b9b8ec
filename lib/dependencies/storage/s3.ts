import type { EnvVar, StorageContext, StorageDriver } from "./driver";

const fromSecret = (name: string, secret: string, key: string): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** An S3 bucket; the access keys reach the container from the user's Secret, never the config. */
export const s3Driver: StorageDriver = {
  config: ({ spec }: StorageContext) => {
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
  env: ({ spec }: StorageContext) => {
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
  singleWriter: false,
};

/** Keys of the Secret the operator derives from COSI's BucketInfo, one per S3 setting. */
export const BUCKET_KEYS = ["bucket", "region", "endpoint", "accesskey", "secretkey"] as const;

/**
 * A bucket provisioned through COSI: a BucketClaim and a BucketAccess. The driver's credentials
 * Secret holds one JSON document; the operator derives a Secret with one key per S3 setting
 * (`BUCKET_KEYS`), and the container reads those.
 */
export const cosiDriver: StorageDriver = {
  // Everything, bucket name included, comes from the derived Secret through env.
  config: () => ({ s3: { forcepathstyle: true } }),
  env: ({ names }: StorageContext) =>
    BUCKET_KEYS.map(key =>
      fromSecret(
        `REGISTRY_STORAGE_S3_${key === "endpoint" ? "REGIONENDPOINT" : key.toUpperCase()}`,
        names.bucketCredentials,
        key,
      ),
    ),
  volumes: () => ({ volumes: [], mounts: [] }),
  provision: ({ spec, names, namespace, labels }: StorageContext) => [
    {
      apiVersion: "objectstorage.k8s.io/v1alpha1",
      kind: "BucketClaim",
      metadata: { name: names.bucketClaim, namespace, labels },
      spec: { bucketClassName: spec.storage!.bucketClassName, protocols: ["S3"] },
    },
    {
      apiVersion: "objectstorage.k8s.io/v1alpha1",
      kind: "BucketAccess",
      metadata: { name: names.bucketAccess, namespace, labels },
      spec: {
        bucketClaimName: names.bucketClaim,
        bucketAccessClassName: spec.storage!.bucketAccessClass,
        credentialsSecretName: names.cosiCredentials,
        protocol: "S3",
      },
    },
  ],
  singleWriter: false,
};
