// promtool's `check rules` and `test rules`, the two commands the alert tests run. The upstream
// binary links every service-discovery SDK (a quarter of an hour to build on two cores); this one
// links only the rule parser, PromQL and the rule manager. Its unit-test runner is upstream's own
// cmd/promtool/unittest.go, copied from the module next to this file at build time
// (scripts/tools/install.sh); check rules is upstream's parse and validation (rulefmt.ParseFile).
package main

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/promqltest"
)

// Exit codes and the lint error unittest.go shares with upstream's main.go.
const (
	successExitCode = 0
	failureExitCode = 1
)

var errLint = errors.New("lint error")

func main() {
	p := parser.NewParser(parser.Options{})
	args := os.Args[1:]
	if len(args) >= 3 && args[1] == "rules" {
		switch args[0] {
		case "check":
			os.Exit(checkRules(p, promslog.NewNopLogger(), args[2:]))
		case "test":
			opts := promqltest.LazyLoaderOpts{EnableAtModifier: true, EnableNegativeOffset: true}
			os.Exit(RulesUnitTest(opts, p, nil, false, false, false, args[2:]...))
		}
	}
	fmt.Fprintln(os.Stderr, "usage: promtool check rules FILE... | promtool test rules FILE...")
	os.Exit(2)
}

// checkRules parses and validates each rule file as Prometheus loads it: YAML shape, PromQL
// expressions, label and annotation templates.
func checkRules(p parser.Parser, logger *slog.Logger, files []string) int {
	code := successExitCode
	for _, f := range files {
		fmt.Println("Checking", f)
		groups, errs := rulefmt.ParseFile(f, false, model.UTF8Validation, p, logger)
		if errs != nil {
			fmt.Fprintln(os.Stderr, "  FAILED:")
			for _, e := range errs {
				fmt.Fprintln(os.Stderr, e.Error())
			}
			code = failureExitCode
			continue
		}
		n := 0
		for _, g := range groups.Groups {
			n += len(g.Rules)
		}
		fmt.Printf("  SUCCESS: %d rules found\n", n)
	}
	return code
}

// parseTime is upstream's (cmd/promtool/query.go, not copied: it brings the HTTP query client):
// a test's start_timestamp as Unix seconds or RFC 3339.
func parseTime(s string) (time.Time, error) {
	if t, err := strconv.ParseFloat(s, 64); err == nil {
		s, ns := math.Modf(t)
		return time.Unix(int64(s), int64(ns*float64(time.Second))).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("cannot parse %q to a valid timestamp", s)
}
