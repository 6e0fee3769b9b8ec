import type { kind } from "pepr";
import type { RenderContext } from "../../render/context";
import type { Dependency } from "../dependency";
import { STORAGE_READY, type StorageDriver } from "./driver";
import { fromSecret } from "./s3";

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
  env: ({ names }: RenderContext) =>
    BUCKET_KEYS.map(key =>
      fromSecret(
        `REGISTRY_STORAGE_S3_${key === "endpoint" ? "REGIONENDPOINT" : key.toUpperCase()}`,
        names.bucketCredentials,
        key,
      ),
    ),
  volumes: () => ({ volumes: [], mounts: [] }),
  provision: ({ spec, names, namespace, labels }: RenderContext) => [
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
  singleWriter: () => false,
  derive: ({ names, namespace, labels, owner }: RenderContext, found) => [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: names.bucketCredentials, namespace, labels, ownerReferences: [owner] },
      type: "Opaque",
      data: Object.fromEntries(BUCKET_KEYS.map(k => [k, b64(found[k] ?? "")])),
    } satisfies kind.Secret,
  ],
  observe: async ({ names, namespace }, read): Promise<Dependency> => {
    const type = STORAGE_READY;
    const secret = await read.object("v1", "Secret", namespace, names.cosiCredentials);
    if (!secret) {
      return {
        type,
        ready: false,
        reason: "WaitingForBucketAccess",
        message: `Waiting for the COSI driver to write Secret ${names.cosiCredentials} for BucketAccess ${names.bucketAccess}.`,
      };
    }
    const settings = bucketSettings(secret.data as Record<string, string> | undefined);
    if (typeof settings === "string")
      return { type, ready: false, reason: "InvalidBucketCredentials", message: settings };
    return {
      type,
      ready: true,
      reason: "BucketReady",
      message: `Bucket ${settings.bucket} is accessible.`,
      found: settings,
    };
  },
};

type BucketInfo = {
  spec?: {
    bucketName?: string;
    secretS3?: {
      endpoint?: string;
      region?: string;
      accessKeyID?: string;
      accessSecretKey?: string;
    };
  };
};

/** The S3 settings in a COSI credentials Secret (`BucketInfo`: one JSON document), or an error text. */
export function bucketSettings(
  secretData: Record<string, string> | undefined,
): Record<(typeof BUCKET_KEYS)[number], string> | string {
  const raw = secretData?.BucketInfo;
  if (!raw) return "the COSI credentials Secret has no BucketInfo key";
  let info: BucketInfo;
  try {
    info = JSON.parse(Buffer.from(raw, "base64").toString("utf8")) as BucketInfo;
  } catch {
    return "BucketInfo in the COSI credentials Secret is not JSON";
  }
  const s3 = info.spec?.secretS3;
  if (!info.spec?.bucketName || !s3?.accessKeyID || !s3.accessSecretKey) {
    return "BucketInfo lacks bucketName or S3 keys (is the BucketAccess for the S3 protocol with key authentication?)";
  }
  return {
    bucket: info.spec.bucketName,
    region: s3.region ?? "us-east-1",
    endpoint: s3.endpoint ?? "",
    accesskey: s3.accessKeyID,
    secretkey: s3.accessSecretKey,
  };
}

const b64 = (v: string) => Buffer.from(v).toString("base64");
