// Package localgh is a GitHub-compatible Issues REST API: an http.Handler that answers the endpoints
// ghstore uses (repos, user, rate_limit, issues, issue comments, reactions, labels) with GitHub's JSON
// shapes, status codes, pagination, ETags and rate-limit headers, in memory or on disk.
//
// It is both ghstore's embedded backend (the `local:` DSN) and the test double every test of the
// project runs against, through go-github itself. It imports nothing of ours.
//
// Invariants:
//   - Every answer is what GitHub would give for the same request (see ../shared/GITHUB.md).
//   - An acknowledged write is durable when the server has a Dir: after a crash, reopening shows
//     every write that was answered and nothing half-written. The Dir's journal is compacted at
//     Open once it is far longer than the state it rebuilds, and only to a list of records that
//     rebuilds an equal state (compact.go).
//   - The request log records the latest requests (Options.RequestLog) in arrival order, with
//     whether GitHub would have counted it against the primary rate limit and whether it
//     created content. Nothing else is kept per request: memory is bounded by the data.
package localgh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. The zero value is an in-memory server with GitHub's limits.
type Options struct {
	// Dir, when set, keeps every repository on disk under Dir, crash-safe; one process at a time
	// may hold Dir (a second Open fails with an error naming the holder's pid).
	Dir string
	// Now is the server's clock (timestamps, rate-limit windows). Default time.Now.
	Now func() time.Time
	// Sleep waits for injected latency. Default: a real timer honouring ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	// RateLimit is the primary budget per token per hour. 0 means 5,000; negative means no limit.
	RateLimit int
	// WritesPerMinute and WritesPerHour bound content-creating requests (POST/PATCH/PUT/DELETE)
	// per token. 0 means GitHub's 80 and 500; negative means no limit.
	WritesPerMinute, WritesPerHour int
	// AnyTokenAs, when set, makes any token that is not a known user's act as this login
	// (`ghsql serve` without -token, and the `local:` DSN).
	AnyTokenAs string
	// Realism turns on GitHub's lags and limits (realism.go); the zero value has none of them.
	Realism Realism

	// RequestLog is how many of the latest requests Requests returns: 0 means
	// DefaultRequestLog, negative keeps none (a server for real data: `ghsql serve`, local:).
	RequestLog int

	// fs is the file system under Dir; nil is the real one (tests inject faults, files.go).
	fs fileSystem
	// openLock opens Dir's lock file (a test makes it refuse, as a read-only mount does, which
	// root, who runs the tests, never meets otherwise). nil: os.OpenFile.
	openLock func(string, int, os.FileMode) (*os.File, error)
}

// Role is what a user is to a repository; it sets author_association and push access.
type Role string

// The roles, named by the author_association GitHub gives their comments and issues.
const (
	// Owner owns the repository: push access.
	Owner Role = "OWNER"
	// Member is a member of the organization that owns the repository: push access.
	Member Role = "MEMBER"
	// Collaborator was invited to the repository: push access.
	Collaborator Role = "COLLABORATOR"
	// Stranger is anyone else: reads and comments on a public repository, never pushes.
	Stranger Role = "NONE"
)

// Fault is what the fault hook makes the server do with one request instead of (or after)
// answering it normally. The zero Fault does nothing.
type Fault struct {
	// Status, when non-zero, answers the request with this status and a GitHub-shaped error
	// body without applying it (e.g. 502, 503, 504, 401, 404, 410, 422, 403, 429).
	Status int
	// RetryAfter, with Status 403 or 429, sets Retry-After (seconds) and GitHub's
	// secondary-rate-limit message.
	RetryAfter int
	// RateLimited, with Status 403, answers as a spent primary budget (X-RateLimit-Remaining: 0).
	RateLimited bool
	// Secondary, with Status 403 or 429, answers GitHub's secondary-rate-limit message even
	// without RetryAfter (GitHub sometimes omits Retry-After).
	Secondary bool
	// DropAnswer applies the request, then loses the answer: the connection is closed (over a
	// socket) or the RoundTripper returns an error (in-process). An ambiguous write.
	DropAnswer bool
	// Reset closes the connection without applying the request.
	Reset bool
	// Hang waits until the request's context is done without applying it (a timeout).
	Hang bool
}

// Call describes one request to the fault hook.
type Call struct {
	Seq    int // 1-based arrival order
	Method string
	Path   string // URL path without any /api/v3 prefix, e.g. /repos/acme/data/issues/1/comments
	Login  string // the authenticated user, "" when anonymous
}

// Request is one entry of the request log.
type Request struct {
	Seq         int
	Method      string
	Path        string // as Call.Path: without any /api/v3 prefix
	Query       string
	Login       string
	Status      int
	Counted     bool // charged against the primary rate limit (GitHub charges all but 304s and /rate_limit)
	Creating    bool // content-creating: POST, PATCH, PUT or DELETE
	Conditional bool // carried If-None-Match
	At          time.Time
}

// ErrClosed is returned (in-process) for requests to a closed Server.
var ErrClosed = errors.New("localgh: server closed")

// Server is a GitHub-compatible Issues API. It is safe for concurrent use.
type Server struct {
	impl *server
}

type server struct {
	opts Options

	mu     sync.Mutex // guards everything below, and the state
	st     *state
	jr     *journal
	lock   *dirLock
	closed bool
	limits *limiter
	real   *realism // nil when Options.Realism is the zero value

	hookMu  sync.Mutex // guards the hooks and the request log
	latency time.Duration
	fault   func(Call) Fault
	seq     int
	log     *requestLog
}

func realSleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Open starts a server as opts say, reading Dir if it has one.
func Open(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = realSleep
	}
	s := &server{opts: opts, st: newState(), limits: newLimiter(opts), log: newRequestLog(opts.RequestLog)}
	if opts.Realism != (Realism{}) {
		s.real = newRealism(opts.Realism, opts.Now)
	}
	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, dirPerm); err != nil {
			return nil, fmt.Errorf("localgh: create dir: %w", err)
		}
		fsys := opts.fs
		if fsys == nil {
			fsys = osFS{}
		}
		openLock := opts.openLock
		if openLock == nil {
			openLock = os.OpenFile
		}
		l, err := lockDirWith(openLock, opts.Dir)
		if errors.Is(err, errLockReadOnly) {
			// A directory this process may not write: serve what it holds, read-only.
			jr, err := openJournalReadOnly(fsys, opts.Dir, s.st)
			if err != nil {
				return nil, err
			}
			s.jr = jr
			return &Server{impl: s}, nil
		}
		if err != nil {
			return nil, err
		}
		jr, err := openJournal(fsys, opts.Dir, s.st)
		if err != nil {
			l.release()
			return nil, err
		}
		s.lock, s.jr = l, jr
	}
	if opts.AnyTokenAs != "" {
		s.mu.Lock()
		err := s.ensureUser(opts.AnyTokenAs, "")
		s.mu.Unlock()
		if err != nil {
			s.shutdown()
			return nil, err
		}
	}
	return &Server{impl: s}, nil
}

func (s *server) shutdown() error {
	var errs []error
	if s.jr != nil {
		errs = append(errs, s.jr.close())
		s.jr = nil
	}
	if s.lock != nil {
		errs = append(errs, s.lock.release())
		s.lock = nil
	}
	return errors.Join(errs...)
}

// Close releases Dir's lock and files. The server answers nothing after Close.
func (s *Server) Close() error {
	s.impl.mu.Lock()
	defer s.impl.mu.Unlock()
	if s.impl.closed {
		return nil
	}
	s.impl.closed = true
	return s.impl.shutdown()
}

// ServeHTTP answers one request as GitHub's REST API would, at / and at /api/v3/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r, done := s.impl.enterFlight(r)
	defer done()
	s.impl.serveHTTP(w, r)
}

// Transport returns an http.RoundTripper that serves requests in-process, without a socket.
// Any URL host is accepted; only the path and query are read.
func (s *Server) Transport() http.RoundTripper { return &transport{s: s.impl} }

// now is the server's clock in GitHub's resolution: UTC, whole seconds.
func (s *server) now() time.Time { return s.opts.Now().UTC().Truncate(time.Second) }

// commit records ms in the journal (when there is one, synced) and applies them. Callers hold s.mu.
func (s *server) commit(ms ...mutation) error {
	if s.closed {
		return ErrClosed
	}
	if s.jr != nil {
		if err := s.jr.append(ms); err != nil {
			return err
		}
	}
	for _, m := range ms {
		s.st.apply(m)
	}
	return nil
}

// ensureUser adds login (and token) if missing. Callers hold s.mu.
func (s *server) ensureUser(login, token string) error {
	if err := checkLogin(login); err != nil {
		return err
	}
	m := mutation{Op: opAddUser, Login: login, At: s.now()}
	u := s.st.users[strings.ToLower(login)]
	holder := ""
	if token != "" {
		holder = s.st.tokenOwner(token)
	}
	if u != nil {
		if token == "" || holder != "" {
			return nil
		}
		m.ID, m.Login = u.ID, u.Login
	} else {
		m.ID = s.st.nextUserID
	}
	if token != "" {
		if holder != "" && holder != strings.ToLower(login) {
			return fmt.Errorf("localgh: that token already belongs to another user")
		}
		m.TokenHash = tokenHash(token)
	}
	return s.commit(m)
}

func checkLogin(login string) error {
	if login == "" || strings.ContainsAny(login, "/ \t\n?#%") {
		return fmt.Errorf("localgh: invalid login %q", login)
	}
	return nil
}

// AddUser makes a user with a login and a token (and a stable numeric id). Adding an existing
// login changes nothing and returns nil.
func (s *Server) AddUser(login, token string) error {
	s.impl.mu.Lock()
	defer s.impl.mu.Unlock()
	return s.impl.ensureUser(login, token) // an existing user (e.g. a repo owner made by CreateRepo) gains the token
}

// CreateRepo makes owner/name (and its owner user, with no token, if missing). Issues are enabled.
// Creating an existing repo is a no-op.
func (s *Server) CreateRepo(owner, name string, private bool) error {
	si := s.impl
	si.mu.Lock()
	defer si.mu.Unlock()
	if err := checkLogin(name); err != nil {
		return fmt.Errorf("localgh: invalid repository name %q", name)
	}
	if si.st.repo(owner, name) != nil {
		return nil
	}
	if err := si.ensureUser(owner, ""); err != nil {
		return err
	}
	ownerLogin := si.st.users[strings.ToLower(owner)].Login
	full := ownerLogin + "/" + name
	at := si.now()
	ms := []mutation{{Op: opCreateRepo, Repo: full, Private: private, ID: si.st.nextID, At: at}}
	id := si.st.nextID + 1
	for _, l := range defaultLabels {
		d := l.description
		ms = append(ms, mutation{Op: opCreateLabel, Repo: full, ID: id, Name: l.name, Color: l.color, Description: &d, Default: true, At: at})
		id++
	}
	return si.commit(ms...)
}

func (si *server) repoForAdmin(owner, name string) (*repo, error) {
	r := si.st.repo(owner, name)
	if r == nil {
		return nil, fmt.Errorf("localgh: no repository %s/%s", owner, name)
	}
	return r, nil
}

// SetRole gives login a role on owner/name (Collaborator and Member have push access).
func (s *Server) SetRole(owner, name, login string, role Role) error {
	si := s.impl
	si.mu.Lock()
	defer si.mu.Unlock()
	r, err := si.repoForAdmin(owner, name)
	if err != nil {
		return err
	}
	switch role {
	case Owner, Member, Collaborator, Stranger:
	default:
		return fmt.Errorf("localgh: unknown role %q", role)
	}
	if err := si.ensureUser(login, ""); err != nil {
		return err
	}
	return si.commit(mutation{Op: opSetRole, Repo: r.Owner + "/" + r.Name, Login: login, Role: role})
}

// SetIssuesEnabled turns a repository's Issues on or off (off: 410 "Issues are disabled for this repo").
func (s *Server) SetIssuesEnabled(owner, name string, enabled bool) error {
	si := s.impl
	si.mu.Lock()
	defer si.mu.Unlock()
	r, err := si.repoForAdmin(owner, name)
	if err != nil {
		return err
	}
	return si.commit(mutation{Op: opSetIssues, Repo: r.Owner + "/" + r.Name, Enabled: enabled})
}

// Repos lists every repository the server holds, as "owner/name".
func (s *Server) Repos() []string {
	si := s.impl
	si.mu.Lock()
	defer si.mu.Unlock()
	var out []string
	for _, r := range si.st.repos {
		out = append(out, r.Owner+"/"+r.Name)
	}
	sort.Strings(out)
	return out
}

// SetLatency delays every answer by d (through Options.Sleep).
func (s *Server) SetLatency(d time.Duration) {
	s.impl.hookMu.Lock()
	s.impl.latency = d
	s.impl.hookMu.Unlock()
}

// SetFault installs a hook consulted for every request; nil removes it.
func (s *Server) SetFault(hook func(Call) Fault) {
	s.impl.hookMu.Lock()
	s.impl.fault = hook
	s.impl.hookMu.Unlock()
}

// Requests returns a copy of the request log: the latest Options.RequestLog requests (see
// requestlog.go), oldest first.
func (s *Server) Requests() []Request {
	s.impl.hookMu.Lock()
	defer s.impl.hookMu.Unlock()
	return s.impl.log.list()
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.impl.hookMu.Lock()
	s.impl.log.reset()
	s.impl.hookMu.Unlock()
}
