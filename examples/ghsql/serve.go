package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/internal/localgh"
)

// serveCommand serves every repository stored in a directory as GitHub's REST API, so that any
// GitHub client (go-github, PyGithub and so gh-store, gh api, ghstore through base_url=) can
// share one embedded backend. A request with -token's value (or, without -token, any token) acts
// as the repositories' owner; a request with none reads like an anonymous one.
func serveCommand() command {
	return command{
		name:     "serve",
		synopsis: "[-addr HOST:PORT] [-dir PATH] [-token T] [-as LOGIN] [-public -hosts NAMES] [-no-limits] [-realism] [-lag D …] [-dsn local:owner/repo]",
		summary:  "Serves the repositories stored in a directory as GitHub's REST API (at / and /api/v3/).",
		setup: func(fs *flag.FlagSet, sys *system) action {
			dsn := dsnFlag(fs)
			addr := fs.String("addr", "127.0.0.1:8080", "`HOST:PORT` to listen on (port 0: any free port)")
			dir := fs.String("dir", "", "the `directory` of the embedded backend (default: the -dsn's dir=, else .ghstore)")
			token := fs.String("token", "", "the `token` that acts as the owner (default: any token does)")
			as := fs.String("as", "", "the `login` tokens act as (default: the owner of the repositories)")
			public := fs.Bool("public", false, "allow listening on an address other than loopback (with -hosts)")
			hosts := fs.String("hosts", "", "with -public, the host `names` (comma-separated) clients reach the server by; "+
				"requests for any other Host are refused (a DNS-rebinding guard)")
			noLimits := fs.Bool("no-limits", false, "turn off GitHub's rate limits (5,000 requests an hour, 80 writes a minute)")
			realism := realismFlags(fs) // serve_realism.go
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", args[0])
				}
				if err := checkLoopback(*addr, *public); err != nil {
					return err
				}
				if *public && *hosts == "" {
					return usagef("-public needs -hosts naming the host names clients reach the server by, e.g. -hosts db.example.internal " +
						"(requests for other Host names are refused: a DNS-rebinding guard)")
				}
				cfg, err := driver.ParseDSN(*dsn)
				if err != nil {
					return fmt.Errorf("bad -dsn: %w", err)
				}
				if !cfg.Local {
					return usagef("serve serves a directory: -dsn must be local:owner/repo?dir=PATH, not %s", cfg)
				}
				path := firstNonEmpty(*dir, cfg.Dir, ".ghstore")
				ctx, stop := cancelOnInterrupt(ctx, sys)
				defer stop()
				// Listen first: a busy port must fail before anything is made on disk.
				ln, err := net.Listen("tcp", *addr)
				if err != nil {
					return err
				}
				defer ln.Close()
				srv, owner, err := openServer(path, cfg, *as, *token, *noLimits, realism())
				if err != nil {
					return err
				}
				defer srv.Close()
				return listenAndServe(ctx, sys, srv, ln, owner, *token != "", splitHosts(*hosts))
			}
		},
	}
}

// checkLoopback refuses an address other hosts could reach, unless public.
func checkLoopback(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("bad -addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", addr)
	}
	if public {
		return nil
	}
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return usagef("-addr %s is reachable from other machines; serve listens on loopback (127.0.0.1) "+
		"unless -public is given (the data then is anyone's who can reach it)", addr)
}

// openServer opens the backend in path, creating cfg's repository when path holds none, and
// sets who tokens act as: -as, else the one owner of the repositories.
func openServer(path string, cfg *driver.Config, as, token string, noLimits bool, realism localgh.Realism) (*localgh.Server, string, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, "", fmt.Errorf("cannot create %s: %w", path, err)
	}
	opts := localgh.Options{Dir: path, Realism: realism, RequestLog: -1} // no per-request state: memory bounded by the data
	if noLimits {
		opts.RateLimit, opts.WritesPerMinute, opts.WritesPerHour = -1, -1, -1
	}
	// Open once to learn whose repositories these are, then (when any token is to act as the
	// owner) again with that owner.
	srv, err := localgh.Open(opts)
	if err != nil {
		return nil, "", err
	}
	repos := srv.Repos()
	if len(repos) == 0 {
		if err := srv.CreateRepo(cfg.Owner, cfg.Repo, false); err != nil {
			srv.Close()
			return nil, "", err
		}
		repos = []string{cfg.Owner + "/" + cfg.Repo}
	}
	owner := as
	if owner == "" {
		owners := map[string]bool{}
		for _, r := range repos {
			o, _, _ := strings.Cut(r, "/")
			owners[o] = true
		}
		if len(owners) > 1 {
			srv.Close()
			return nil, "", usagef("the repositories in %s have several owners (%s): name the login tokens act as with -as",
				path, strings.Join(sortedKeys(owners), ", "))
		}
		owner = sortedKeys(owners)[0]
	}
	if token != "" {
		if err := srv.AddUser(owner, token); err != nil {
			srv.Close()
			return nil, "", err
		}
		return srv, owner, nil
	}
	if err := srv.Close(); err != nil {
		return nil, "", err
	}
	opts.AnyTokenAs = owner
	srv, err = localgh.Open(opts)
	return srv, owner, err
}

// listenAndServe serves srv on ln until ctx is done, after printing the base URL.
func listenAndServe(ctx context.Context, sys *system, srv *localgh.Server, ln net.Listener, owner string, ownToken bool, hosts []string) error {
	base := "http://" + ln.Addr().String() + "/"
	repos := srv.Repos()
	if len(repos) == 0 {
		return fmt.Errorf("no repository to serve")
	}
	sort.Strings(repos)
	fmt.Fprintf(sys.stdout, "serving %s as GitHub's REST API at %s (and %sapi/v3/)\n", strings.Join(repos, ", "), base, base)
	who := "any token acts as " + owner
	if ownToken {
		who = "the -token acts as " + owner
	}
	fmt.Fprintf(sys.stdout, "%s; no token reads anonymously. Ctrl-C stops.\n", who)
	fmt.Fprintf(sys.stdout, "  ghsql -dsn '%s?base_url=%s&token=...'\n", repos[0], base)

	hs := newHTTPServer(srv, ln.Addr(), hosts) // serve_guard.go
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(shutdown)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// firstNonEmpty returns the first of ss that is not "".
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
