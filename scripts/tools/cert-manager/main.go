// Command cert-manager-controller is a minimal build of the cert-manager
// controller (github.com/cert-manager/cert-manager, pinned in go.mod) for the
// integration tests. It runs only the controllers needed to make SelfSigned and CA
// Issuers/ClusterIssuers Ready and to issue Certificates into Secrets.
//
// There is no ACME, webhook, cainjector, leader election, metrics, healthz or
// pprof server: the process opens no listening sockets at all.
//
// It mirrors what upstream's controller-binary/app/controller.go does:
//  1. build a controller.ContextFactory,
//  2. call each wanted controller's registered Constructor (this is where the
//     controllers ask the shared informer factories for their informers),
//  3. start the shared informer factories, then Run every controller.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/klog/v2"

	"github.com/cert-manager/cert-manager/pkg/controller"
	logf "github.com/cert-manager/cert-manager/pkg/logs"

	// Blank imports: each package registers its controller with
	// controller.Register() in init().
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"

	// Blank imports: issuer implementations used by the (cluster)issuers
	// controllers to set Ready; they register via issuer.RegisterIssuer().
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
)

// enabledControllers are the registered controller names we run.
var enabledControllers = []string{
	"issuers",
	"clusterissuers", // skipped when --namespace is set (as upstream does)
	"certificates-trigger",
	"certificates-issuing",
	"certificates-key-manager",
	"certificates-request-manager",
	"certificates-readiness",
	"certificates-revision-manager",
	// Without an approver (e.g. approver-policy) CertificateRequests are never
	// signed; upstream enables this one by default.
	"certificaterequests-approver",
	"certificaterequests-issuer-selfsigned",
	"certificaterequests-issuer-ca",
}

func main() {
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "path to a kubeconfig (default $KUBECONFIG; empty = in-cluster config)")
	namespace := flag.String("namespace", "", "only watch this namespace (empty = all namespaces)")
	clusterResourceNamespace := flag.String("cluster-resource-namespace", "cert-manager", "namespace holding Secrets referenced by ClusterIssuers (e.g. a CA ClusterIssuer's key pair)")
	workers := flag.Int("workers", 5, "concurrent workers per controller")
	// Expose only klog's -v; cert-manager logs "info" at V(2), so default to 2.
	klogFlags := flag.NewFlagSet("klog", flag.ExitOnError)
	klog.InitFlags(klogFlags)
	_ = klogFlags.Set("v", "2")
	flag.Var(klogFlags.Lookup("v").Value, "v", "log verbosity (2 = info, 4 = debug)")
	flag.Parse()

	logf.InitLogs()
	defer logf.FlushLogs()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx = logf.NewContext(ctx, logf.Log, "controller")

	if err := run(ctx, *kubeconfig, *namespace, *clusterResourceNamespace, *workers); err != nil {
		logf.Log.Error(err, "cert-manager controller exited with error")
		logf.FlushLogs()
		os.Exit(1)
	}
}

func run(ctx context.Context, kubeconfig, namespace, clusterResourceNamespace string, workers int) error {
	log := logf.FromContext(ctx)

	// Option values are upstream's defaults (internal/apis/config/controller/v1alpha1/defaults.go).
	factory, err := controller.NewContextFactory(ctx, controller.ContextOptions{
		Kubeconfig:         kubeconfig,
		KubernetesAPIQPS:   20,
		KubernetesAPIBurst: 50,
		Namespace:          namespace,
		IssuerOptions: controller.IssuerOptions{
			ClusterResourceNamespace: clusterResourceNamespace,
		},
		CertificateOptions: controller.CertificateOptions{
			CertificateRequestMinimumBackoffDuration: time.Hour,
			CertificateRequestMaximumBackoffDuration: 32 * time.Hour,
		},
	})
	if err != nil {
		return fmt.Errorf("building controller context: %w", err)
	}

	// Base context: gives access to the shared informer factories and clients.
	base, err := factory.Build()
	if err != nil {
		return err
	}

	// Fail fast (instead of retrying forever in the informers) if the API
	// server is unreachable or the cert-manager CRDs are not installed.
	if _, err := base.Client.Discovery().ServerResourcesForGroupVersion("cert-manager.io/v1"); err != nil {
		return fmt.Errorf("cert-manager.io/v1 API not available (API server unreachable or CRDs not installed?): %w", err)
	}

	// Construct the controllers. Constructors must run before the informer
	// factories are started because that is where informers get requested.
	g, gctx := errgroup.WithContext(ctx)
	known := controller.Known()
	for _, name := range enabledControllers {
		if name == "clusterissuers" && namespace != "" {
			continue
		}
		constructor, ok := known[name]
		if !ok {
			return fmt.Errorf("controller %q is not registered (missing import?)", name)
		}
		c, err := constructor(factory)
		if err != nil {
			return fmt.Errorf("constructing controller %q: %w", name, err)
		}
		g.Go(func() error {
			log.Info("starting controller", "controller", name)
			return c.Run(workers, gctx)
		})
	}

	base.SharedInformerFactory.Start(gctx.Done())
	base.KubeSharedInformerFactory.Start(gctx.Done())

	err = g.Wait()
	base.KubeSharedInformerFactory.Shutdown()
	base.SharedInformerFactory.Shutdown()
	// A controller returning an error (e.g. caches failed to sync) is fatal,
	// unless it is just the result of us being asked to shut down.
	if err != nil && ctx.Err() == nil {
		return err
	}
	log.Info("control loops exited")
	return nil
}
