// How a refusal reads, whoever decides it: our webhook ("spec.replicas: must be at least 0") or the
// API server from the CRD schema ("spec.replicas: Invalid value: -1: spec.replicas in body should
// be …", or for a CEL rule "spec.image: Invalid value: \"string\": must be a valid image …").

export const DENIED = 'admission webhook "pepr-registry-operator.pepr.dev" denied the request';
export const SCHEMA_INVALID =
  /The (Registry|RegistryTemplate|Cache|ImagePullSecret|ImagePushSecret) "[^"]+" is invalid/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether stderr refuses with `message` ("field: reason", the reason on the field's line). */
export function refusesWith(raw: string, message: string): boolean {
  // The API server names a map key `limits[memory]`, our webhook `limits.memory`.
  const stderr = raw.replace(/\[([^\]\d][^\]]*)\]/g, ".$1");
  const at = message.indexOf(": ");
  const decided =
    stderr.includes(DENIED) ||
    SCHEMA_INVALID.test(stderr) ||
    stderr.includes("strict decoding error"); // an unknown field
  if (at < 0) return decided && stderr.includes(message);
  const [field, reason] = [message.slice(0, at), message.slice(at + 2)];
  const line = new RegExp(
    `${escape(field)}: (?:Invalid value: (?:"[^"]*"|[^:\\s]+): )?[^\\n]*${escape(reason)}`,
  );
  return decided && line.test(stderr);
}
