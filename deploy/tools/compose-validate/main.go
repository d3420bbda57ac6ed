// compose-validate loads a Compose file the way `docker compose config` does (compose-go:
// JSON-schema validation of the compose-spec, interpolation, normalisation, consistency
// checks such as depends_on on unknown services or undeclared named volumes), with every
// profile enabled. No Docker engine needed.
//
//	compose-validate [-env KEY=VALUE ...] docker-compose.yml
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

type envFlags []string

func (e *envFlags) String() string     { return strings.Join(*e, ",") }
func (e *envFlags) Set(v string) error { *e = append(*e, v); return nil }

func main() {
	var env envFlags
	flag.Var(&env, "env", "KEY=VALUE made available for interpolation (repeatable)")
	printCfg := flag.Bool("print", false, "print the resolved configuration")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: compose-validate [-env KEY=VALUE] [-print] <compose file>")
		os.Exit(2)
	}
	file, err := filepath.Abs(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	opts, err := cli.NewProjectOptions(
		[]string{file},
		cli.WithWorkingDirectory(filepath.Dir(file)),
		cli.WithName("microshop"),
		cli.WithProfiles([]string{"*"}),
		cli.WithEnv(env),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fail(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	names := project.ServiceNames()
	sort.Strings(names)
	vols := make([]string, 0, len(project.Volumes))
	for v := range project.Volumes {
		vols = append(vols, v)
	}
	sort.Strings(vols)
	if *printCfg {
		out, err := project.MarshalYAML()
		if err != nil {
			fail(err)
		}
		os.Stdout.Write(out)
	}
	summary := os.Stdout
	if *printCfg {
		summary = os.Stderr // keep stdout pure YAML
	}
	fmt.Fprintf(summary, "compose-validate: %s is valid: %d services (%s), %d named volumes (%s)\n",
		flag.Arg(0), len(names), strings.Join(names, ", "), len(vols), strings.Join(vols, ", "))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-validate: %v\n", err)
	os.Exit(1)
}
