import { hostPortProblem } from "../../../lib/api/fields/host-port";
import { checkUpstreamUrl } from "../../../lib/api/fields/upstream-url";
import { BAD_UPSTREAM_URLS, GOOD_UPSTREAM_URLS } from "../../support/upstream-urls";

describe("checkUpstreamUrl", () => {
  it.each(BAD_UPSTREAM_URLS)("refuses %j: %s", (url, reason) => {
    expect(checkUpstreamUrl(url).reason).toContain(reason);
  });

  it.each(GOOD_UPSTREAM_URLS)("accepts %j (warning: %s)", (url, warns) => {
    const v = checkUpstreamUrl(url);
    expect(v.reason).toBeUndefined();
    expect(v.warning !== undefined).toBe(warns);
  });

  it("says where credentials go instead of the URL", () => {
    expect(checkUpstreamUrl("https://u:p@quay.io").reason).toContain("spec.credentialsSecretRef");
  });
});

describe("hostPortProblem", () => {
  it.each([
    ["redis:6379"],
    ["10.0.0.5:6379"],
    ["[2001:db8::1]:6379"],
    ["redis.cache.svc.cluster.local:26379"],
  ])("accepts %s", v => expect(hostPortProblem(v)).toBeUndefined());
  it.each([
    ["redis", "must be host:port"],
    ["redis:0", "port 0 must be from 1 to 65535"],
    ["redis:70000", "port 70000 must be from 1 to 65535"],
    ["2001:db8::1:6379", "must be host:port"],
    ["bad_host:6379", "is not a valid DNS name"],
    [":6379", "must name a host"],
  ])("refuses %s", (v, message) => expect(hostPortProblem(v)).toContain(message));
});
