/** A Docker config (`~/.docker/config.json`, `.dockerconfigjson`) with one registry's login. */
export function dockerConfig(host: string, username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  return JSON.stringify({ auths: { [host]: { username, password, auth } } });
}

/** The host (and port) clients name the registry by, from its URL: what a Docker config keys. */
export function registryHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
