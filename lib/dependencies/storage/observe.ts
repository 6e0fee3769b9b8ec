import type { RegistrySpec } from "../../api/registry-spec";
import type { ChildNames } from "../../render/names";
import { BUCKET_KEYS } from "./s3";
import { storageDriver } from "./index";
import type { KubeObject } from "./driver";
import { getLive } from "../../engine/apply";

export interface StorageState {
  ready: boolean;
  reason: string;
  message: string;
  /** Objects the storage needs applied beside the rendered ones (the derived bucket Secret). */
  extra: KubeObject[];
}

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

/** Whether the Registry's storage can be used, and what it still needs. Reads only. */
export async function storageReadiness(
  spec: RegistrySpec,
  names: ChildNames,
  namespace: string,
  labels: Record<string, string>,
  owner: object,
): Promise<StorageState> {
  const { kind } = storageDriver(spec);
  if (kind === "filesystem") {
    const pvc = (await getLive("v1", "PersistentVolumeClaim", namespace, names.data)) as
      | { status?: { phase?: string } }
      | undefined;
    const phase = pvc?.status?.phase ?? "Missing";
    return phase === "Bound"
      ? {
          ready: true,
          reason: "ClaimBound",
          message: `PersistentVolumeClaim ${names.data} is bound.`,
          extra: [],
        }
      : {
          ready: false,
          reason: "ClaimNotBound",
          message: `PersistentVolumeClaim ${names.data} is ${phase}.`,
          extra: [],
        };
  }
  if (kind === "cosi") {
    const secret = (await getLive("v1", "Secret", namespace, names.cosiCredentials)) as
      | { data?: Record<string, string> }
      | undefined;
    if (!secret) {
      return {
        ready: false,
        reason: "WaitingForBucketAccess",
        message: `Waiting for the COSI driver to write Secret ${names.cosiCredentials} for BucketAccess ${names.bucketAccess}.`,
        extra: [],
      };
    }
    const settings = bucketSettings(secret.data);
    if (typeof settings === "string")
      return { ready: false, reason: "InvalidBucketCredentials", message: settings, extra: [] };
    const derived: KubeObject = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: names.bucketCredentials, namespace, labels, ownerReferences: [owner] },
      type: "Opaque",
      data: Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, b64(v)])),
    };
    return {
      ready: true,
      reason: "BucketReady",
      message: `Bucket ${settings.bucket} is accessible.`,
      extra: [derived],
    };
  }
  if (kind === "s3") {
    const ref = spec.storage!.s3!.secretRef;
    const secret = await getLive("v1", "Secret", namespace, ref.name);
    return secret
      ? {
          ready: true,
          reason: "CredentialsFound",
          message: `Bucket ${spec.storage!.s3!.bucket}; keys from Secret ${ref.name}.`,
          extra: [],
        }
      : {
          ready: false,
          reason: "CredentialsSecretMissing",
          message: `Secret ${ref.name} (spec.storage.s3.secretRef) does not exist.`,
          extra: [],
        };
  }
  return {
    ready: true,
    reason: "EmptyDir",
    message: "Ephemeral storage: images are lost when a pod goes.",
    extra: [],
  };
}
