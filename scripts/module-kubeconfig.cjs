// Preloaded (NODE_OPTIONS=--require) into `pepr dev` and the module process it forks: only the
// module (PEPR_MODE=dev, set by pepr dev for the fork) switches to MODULE_KUBECONFIG, so pepr dev
// registers the webhooks as the admin while the module runs as its own ServiceAccount. The line
// it prints is what scripts/test/all.sh looks for before it trusts the run to be least-privilege.
if (process.env.PEPR_MODE === "dev" && process.env.MODULE_KUBECONFIG) {
  process.env.KUBECONFIG = process.env.MODULE_KUBECONFIG;
  console.error(`[module-kubeconfig] the module runs with ${process.env.MODULE_KUBECONFIG}`);
}
