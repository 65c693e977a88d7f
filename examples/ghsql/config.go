package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"

	"github.com/ghstore/ghstore/driver"
)

// defaultDSN is the embedded, on-disk backend in the current directory: ghsql works on a fresh
// machine with no token and no network.
const defaultDSN = "local:demo/demo?dir=.ghstore"

// dsnFlag defines the -dsn flag every command takes.
func dsnFlag(fs *flag.FlagSet) *string {
	return fs.String("dsn", defaultDSN,
		"`DSN` of the store: [local:]owner/repo[?key=value&...]; the token comes from token=, else GITHUB_TOKEN, else GH_TOKEN")
}

// missingTokenError says that no token was found for a DSN that needs one.
type missingTokenError struct{ repo string }

func (e *missingTokenError) Error() string {
	return fmt.Sprintf("no GitHub token for %s: looked at the GITHUB_TOKEN and GH_TOKEN environment variables "+
		"and token= in the DSN, and all were empty.\n"+
		"  Set one (for example: export GITHUB_TOKEN=$(gh auth token)), or try the embedded backend, "+
		"which needs none: -dsn 'local:%s?dir=.ghstore'", e.repo, e.repo)
}

// database is an open ghstore: the Connector (for Stats, Store, Close) and a database/sql handle on it.
type database struct {
	cfg  *driver.Config
	conn *driver.Connector
	db   *sql.DB
}

// openStore parses dsn and opens it. It sends no request. The caller closes the store.
func openStore(sys *system, dsn string) (*database, error) {
	cfg, err := parseDSN(sys, dsn)
	if err != nil {
		return nil, err
	}
	if cfg.Local && cfg.Dir != "" {
		if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("cannot create the embedded backend's directory: %w", err)
		}
	}
	conn, err := driver.NewConnector(cfg)
	if errors.Is(err, driver.ErrLocalDirBusy) {
		return nil, &dirBusyError{cfg: cfg, err: err}
	}
	if err != nil {
		return nil, err
	}
	return &database{cfg: cfg, conn: conn, db: sql.OpenDB(conn)}, nil
}

// readableDSN is cfg as a DSN for people: its values not %-escaped (base_url=http://…), and
// never the token, which Config's String leaves out.
func readableDSN(cfg *driver.Config) string {
	s := cfg.String()
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// dirBusyError is a local: directory another process holds: it says how to reach the data
// through the server that may hold it, or how to start one.
type dirBusyError struct {
	cfg *driver.Config
	err error
}

func (e *dirBusyError) Error() string {
	repo := e.cfg.Owner + "/" + e.cfg.Repo
	return fmt.Sprintf("%v\n"+
		"  If that process is `ghsql serve`, connect to the base URL it printed:\n"+
		"    ghsql -dsn '%s?base_url=http://127.0.0.1:PORT/&token=anything'\n"+
		"  (with the -token it was given, if any). To share the directory, stop the other process and start one server:\n"+
		"    ghsql serve -addr 127.0.0.1:8080 -dir %s\n"+
		"  then connect every program to it with -dsn '%s?base_url=http://127.0.0.1:8080/&token=anything'.",
		e.err, repo, e.cfg.Dir, repo)
}

func (e *dirBusyError) Unwrap() error { return e.err }

// parseDSN parses dsn, takes the token from the environment when the DSN has none, and refuses
// a GitHub DSN with no token at all (before any request, with what to do about it).
func parseDSN(sys *system, dsn string) (*driver.Config, error) {
	cfg, err := driver.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("bad -dsn: %w", err)
	}
	if cfg.Local {
		return cfg, nil
	}
	if cfg.Token == "" {
		for _, name := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
			if t := sys.getenv(name); t != "" {
				cfg.Token = t
				break
			}
		}
	}
	// The driver needs a token for any server (ghsql serve takes any token when started without
	// -token); say so here, naming the repository, before anything is sent.
	if cfg.Token == "" {
		return nil, &missingTokenError{repo: cfg.Owner + "/" + cfg.Repo}
	}
	return cfg, nil
}

// Close closes the database handle, which closes the Connector (database/sql closes a
// Connector that is an io.Closer).
func (s *database) Close() error { return s.db.Close() }

// openFor opens the store of dsn for a command and runs f on it.
func openFor(ctx context.Context, sys *system, dsn string, f func(ctx context.Context, st *database) error) (err error) {
	st, err := openStore(sys, dsn)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	return f(ctx, st)
}
