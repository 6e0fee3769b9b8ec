// Upstream URLs for a Cache and what admission must say of them: shared by the unit test of the
// checker and the integration test through the real API server.

/** [url, a fragment of the reason it is refused] */
export const BAD_UPSTREAM_URLS: [string, string][] = [
  ["ftp://registry.example.com", "scheme ftp:// is not supported"],
  ["registry.example.com", "must be an absolute URL with a scheme"],
  ["//registry.example.com", "must be an absolute URL with a scheme"],
  ["https://", "must name a host"],
  ["https://user:pw@registry.example.com", "must not contain user-info"],
  ["https://token@registry.example.com", "must not contain user-info"],
  ["https://registry.example.com/path", "must not have a path"],
  ["https://registry.example.com/v2/", "must not have a path"],
  ["https://registry.example.com?x=1", "must not have a query"],
  ["https://registry.example.com/?x=1", "must not have a query"],
  ["https://registry.example.com#frag", "must not have a fragment"],
  ["https://registry.example.com:0", "must be a number from 1 to 65535"],
  ["https://registry.example.com:70000", "must be a number from 1 to 65535"],
  ["https://registry.example.com:http", "must be a number from 1 to 65535"],
  ["https://registry.example.com:", "must be a number from 1 to 65535"],
  ["https://exa mple.com", "must not contain whitespace"],
  [" https://registry.example.com", "must not contain whitespace"],
  ["http://[::1", "needs a closing ]"],
  ["https://[not-an-ip]:5000", "is not a valid IPv6 address"],
  ["https://2001:db8::1", "must be in brackets"],
  ["https://-bad-.example.com", "is not a valid DNS name"],
  ["https://under_score.example.com", "is not a valid DNS name"],
  ["https://999.1.1.1", "is not a valid IPv4 address"],
  ["", "must not be empty"],
];

/** [url, whether admission warns] */
export const GOOD_UPSTREAM_URLS: [string, boolean][] = [
  ["https://registry-1.docker.io", false],
  ["https://quay.io:443", false],
  ["https://ghcr.io/", false],
  ["http://10.0.0.5:5000", true],
  ["https://[2001:db8::1]:5000", false],
  ["HTTPS://Registry.Example.COM", false],
];
