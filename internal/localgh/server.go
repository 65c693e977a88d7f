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
//     every write that was answered and nothing half-written.
//   - The request log records every request in arrival order, with whether GitHub would have
//     counted it against the primary rate limit and whether it created content.
package localgh

import (
	"context"
	"net/http"
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
}

// Role is what a user is to a repository; it sets author_association and push access.
type Role string

const (
	Owner        Role = "OWNER"
	Member       Role = "MEMBER"
	Collaborator Role = "COLLABORATOR"
	Stranger     Role = "NONE"
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
	Path   string // URL path, e.g. /repos/acme/data/issues/1/comments
	Login  string // the authenticated user, "" when anonymous
}

// Request is one entry of the request log.
type Request struct {
	Seq         int
	Method      string
	Path        string
	Query       string
	Login       string
	Status      int
	Counted     bool // charged against the primary rate limit (GitHub charges all but 304s and /rate_limit)
	Creating    bool // content-creating: POST, PATCH, PUT or DELETE
	Conditional bool // carried If-None-Match
	At          time.Time
}

// Server is a GitHub-compatible Issues API. It is safe for concurrent use.
type Server struct {
	impl *server
}

// Open starts a server as opts say, reading Dir if it has one.
func Open(opts Options) (*Server, error) { panic("localgh: not implemented") }

// Close releases Dir's lock and files. The server answers nothing after Close.
func (s *Server) Close() error { panic("localgh: not implemented") }

// ServeHTTP answers one request as GitHub's REST API would, at / and at /api/v3/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { panic("localgh: not implemented") }

// Transport returns an http.RoundTripper that serves requests in-process, without a socket.
// Any URL host is accepted; only the path and query are read.
func (s *Server) Transport() http.RoundTripper { panic("localgh: not implemented") }

// AddUser makes a user with a login and a token (and a stable numeric id). Adding an existing
// login changes nothing and returns nil.
func (s *Server) AddUser(login, token string) error { panic("localgh: not implemented") }

// CreateRepo makes owner/name (and its owner user, with no token, if missing). Issues are enabled.
// Creating an existing repo is a no-op.
func (s *Server) CreateRepo(owner, name string, private bool) error {
	panic("localgh: not implemented")
}

// SetRole gives login a role on owner/name (Collaborator and Member have push access).
func (s *Server) SetRole(owner, name, login string, role Role) error {
	panic("localgh: not implemented")
}

// SetIssuesEnabled turns a repository's Issues on or off (off: 410 "Issues are disabled for this repo").
func (s *Server) SetIssuesEnabled(owner, name string, enabled bool) error {
	panic("localgh: not implemented")
}

// Repos lists every repository the server holds, as "owner/name".
func (s *Server) Repos() []string { panic("localgh: not implemented") }

// SetLatency delays every answer by d (through Options.Sleep).
func (s *Server) SetLatency(d time.Duration) { panic("localgh: not implemented") }

// SetFault installs a hook consulted for every request; nil removes it.
func (s *Server) SetFault(hook func(Call) Fault) { panic("localgh: not implemented") }

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request { panic("localgh: not implemented") }

// ResetRequests empties the request log.
func (s *Server) ResetRequests() { panic("localgh: not implemented") }

type server struct{}
