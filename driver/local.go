package driver

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ghstore/ghstore/internal/localgh"
)

// localBackends is the process-wide table of `local:` backends, held by the registered Driver
// (see Driver). Requests reach a backend in-process, through localgh's RoundTripper: no socket.
//
//   - In memory (no dir=): one localgh.Server per owner/repo (case-insensitive, as GitHub's
//     names are), created on first use and kept for the life of the process, so every sql.Open
//     of the DSN sees one repository, as every open of a named in-memory database does. Closing
//     a Connector does not drop it.
//   - On disk (dir=PATH): one localgh.Server per absolute directory, shared by every Connector
//     of it in this process, refcounted and closed with the last. localgh locks the directory,
//     so a second process gets an error naming the holder.
type localBackends struct {
	mu   sync.Mutex
	mem  map[string]*localgh.Server
	dirs map[string]*dirBackend
}

type dirBackend struct {
	srv  *localgh.Server
	refs int
	// owner is the login the server's AnyTokenAs makes of unknown tokens.
	owner string
}

// localBackend is one Connector's hold on a backend.
type localBackend struct {
	transport http.RoundTripper
	token     string
	release   func() error
}

func newLocalBackends() *localBackends {
	return &localBackends{mem: map[string]*localgh.Server{}, dirs: map[string]*dirBackend{}}
}

// serverOptions are the embedded backend's: GitHub's JSON and semantics, none of its limits,
// and no request log (a server for real data keeps none).
func serverOptions(dir, owner string) localgh.Options {
	return localgh.Options{Dir: dir, AnyTokenAs: owner, RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1, RequestLog: -1}
}

func (l *localBackends) acquire(cfg *Config) (*localBackend, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cfg.Dir == "" {
		key := strings.ToLower(cfg.Owner + "/" + cfg.Repo)
		srv := l.mem[key]
		if srv == nil {
			var err error
			srv, err = localgh.Open(serverOptions("", cfg.Owner))
			if err != nil {
				return nil, fmt.Errorf("ghstore: local: %w", err)
			}
			if err := srv.CreateRepo(cfg.Owner, cfg.Repo, false); err != nil {
				srv.Close()
				return nil, fmt.Errorf("ghstore: local: create %s/%s: %w", cfg.Owner, cfg.Repo, err)
			}
			l.mem[key] = srv
		}
		return &localBackend{transport: srv.Transport(), token: localToken, release: func() error { return nil }}, nil
	}

	abs, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, dsnErr("dir", "cannot be made absolute: %v", err)
	}
	be := l.dirs[abs]
	if be == nil {
		srv, err := localgh.Open(serverOptions(abs, cfg.Owner))
		if errors.Is(err, localgh.ErrLocked) {
			return nil, fmt.Errorf("%w: %w", ErrLocalDirBusy, err)
		}
		if err != nil {
			return nil, fmt.Errorf("ghstore: local: open %s: %w", abs, err)
		}
		be = &dirBackend{srv: srv, owner: cfg.Owner}
		l.dirs[abs] = be
	}
	// A directory may hold repositories of several owners; only the first is AnyTokenAs. The
	// others get a token of their own (AddUser before CreateRepo, which would make the user
	// without one). A user the directory already knew without a token falls back to AnyTokenAs.
	token := localToken
	if !strings.EqualFold(be.owner, cfg.Owner) {
		token = localToken + ":" + strings.ToLower(cfg.Owner)
		if err := be.srv.AddUser(cfg.Owner, token); err != nil {
			l.releaseDirLocked(abs, be)
			return nil, fmt.Errorf("ghstore: local: %w", err)
		}
	}
	if err := be.srv.CreateRepo(cfg.Owner, cfg.Repo, false); err != nil {
		l.releaseDirLocked(abs, be)
		return nil, fmt.Errorf("ghstore: local: create %s/%s in %s: %w", cfg.Owner, cfg.Repo, abs, err)
	}
	be.refs++
	var once sync.Once
	release := func() error {
		var err error
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			be.refs--
			err = l.releaseDirLocked(abs, be)
		})
		return err
	}
	return &localBackend{transport: be.srv.Transport(), token: token, release: release}, nil
}

// releaseDirLocked closes the directory's server when nothing holds it any more.
func (l *localBackends) releaseDirLocked(abs string, be *dirBackend) error {
	if be.refs > 0 {
		return nil
	}
	delete(l.dirs, abs)
	return be.srv.Close()
}
