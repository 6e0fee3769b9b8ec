/** A RegistryTemplate as resolution reads it: its name, version and spec. */
export interface TemplateLike {
  name: string;
  resourceVersion?: string;
  spec?: unknown;
}
