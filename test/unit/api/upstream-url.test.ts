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
