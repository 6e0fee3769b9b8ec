import { a, Capability, Log } from "pepr";
import { namespaceChanged } from "../lib/controllers/managed-pull-secrets";
import { requeueNamespaceSelectors } from "../lib/controllers/namespace-selectors";
import { describeError } from "../lib/kube/errors";
import { pullSecretsIn } from "../lib/kube/registry-lookup";
import { withPullSecrets } from "../lib/admission/service-account";

export const ServiceAccountsCapability = new Capability({
  name: "service-accounts",
  description: "Pull secrets in ServiceAccounts as they are created, and in selected namespaces.",
});

const { When } = ServiceAccountsCapability;

// A ServiceAccount created in a namespace with an ImagePullSecret that names it (or "*") gets the
// Secret in its imagePullSecrets at once; ServiceAccounts that exist already get it by reconcile.
When(a.ServiceAccount)
  .IsCreated()
  .Mutate(async req => {
    const name = req.Raw.metadata?.name ?? "";
    const namespace = req.Request.namespace ?? req.Raw.metadata?.namespace ?? "";
    try {
      withPullSecrets(req.Raw, await pullSecretsIn(namespace));
    } catch (err) {
      // Never hold up a ServiceAccount on this look-up: reconcile adds what is missed here.
      Log.warn(
        `ServiceAccount ${namespace}/${name}: pull secrets not injected at creation (${describeError(err)})`,
      );
    }
  });

// A new namespace, or new labels, may be selected by a Registry's managedPullSecrets or
// allowedNamespaces (or no longer).
When(a.Namespace)
  .IsCreatedOrUpdated()
  .Reconcile(() => {
    namespaceChanged();
    requeueNamespaceSelectors();
  });
