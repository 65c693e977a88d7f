// Package store keeps JSON objects in the Issues of a GitHub repository, in the on-GitHub format of
// the Python package gh-store 0.10.x, so both can work on one repository.
//
// One object is one issue labelled `gh-store`, `stored-object` and `UID:<id>`; its body is the
// current state and its comments are the log (see DESIGN.md §2 and §3).
//
// Invariants:
//   - The log is the truth: state = initial state, then each trusted update in (created_at,
//     comment id) order. A closed issue's body is that fold; an open one's is read by folding.
//   - Nothing an untrusted author writes (issue, comment or reaction) changes any object.
//   - Bad input (id, data, size) is refused before any request is sent.
//   - A write that may have reached GitHub is checked before it is retried, so no object or update
//     is ever duplicated.
//
// Store never knows about SQL.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"time"
)

// Object is one stored object as read.
type Object struct {
	ID        string          // as created (ids compare case-insensitively)
	Data      json.RawMessage // the current state: a JSON object
	Issue     int             // the issue number
	Version   int             // 1 + trusted updates that Data reflects
	Pending   int             // trusted updates not yet in the issue body
	CreatedAt time.Time
	UpdatedAt time.Time

	// duplicates are the younger live issues of the same id that the read met (a racing or
	// half-failed Create can leave one): readers use the oldest, and DeleteObject archives them
	// all, so a deleted object's duplicate never surfaces as the object.
	duplicates []int
	// seen is the issue as this object was read from it (a conditional Put starts from it).
	seen issueSeen
}

// Entry is one row of an object's log (History).
type Entry struct {
	ID        string // the object id
	Seq       int    // from 1; the initial state is 1
	Kind      string // "initial_state", "update", "replace" or "checkpoint"
	Data      json.RawMessage
	Author    string
	Trusted   bool
	Applied   bool // folded into the object's data: false for untrusted and superseded comments
	Processed bool
	CreatedAt time.Time
	CommentID int64
}

// Options configure a Store.
type Options struct {
	Owner, Repo string
	// HTTPClient sends every request (through go-github); its Transport authenticates and
	// carries whatever caching, retries and pacing the caller wants (the driver's does all of
	// them). Required.
	HTTPClient *http.Client
	// BaseURL is the REST API the requests go to: DefaultBaseURL when empty; a GitHub
	// Enterprise Server is https://HOST/api/v3/. A missing trailing slash is added.
	BaseURL string
	// Trusted are logins trusted besides OWNER/MEMBER/COLLABORATOR and the token's own login.
	Trusted []string
	// Async makes updates a comment + reopen (gh-store's Actions model) instead of processing
	// them before returning.
	Async bool
	// Clock stamps envelopes and times every wait. Default: the wall clock.
	Clock Clock
	// Concurrency bounds requests in flight for multi-object work. 0 means DefaultConcurrency.
	Concurrency int
	// ReadLag bounds how long GitHub's reads may lag its writes (0: they never do, as on the
	// embedded backend). Within it the Store trusts what it wrote over what a read shows it, and a
	// Create re-checks its id for a racing duplicate once it has passed (lag.go).
	ReadLag time.Duration
	// Scrub, when set, cuts the token out of the text of every error from a request (the
	// driver passes its Transport's Scrub): an owner or repo name a token was pasted into would
	// otherwise carry it into the message.
	Scrub func(string) string
	// Jitter returns a number in [0, 1) for the randomised backoff after a lost race. Default
	// math/rand/v2's Float64.
	Jitter func() float64
	// Login, when set, is the token's login and GET /user is not sent.
	Login string
	// Mirror keeps every object of the repository in memory (the driver's cache=mirror). Each read
	// (Get, GetMany, List; not History) first refreshes it with one conditional list of the issues
	// updated since the last refresh, which an unchanged repository answers 304 (not counted by
	// GitHub), however many objects it holds; the first read lists them all. Writes update it from
	// their own answers. See Refreshed for one refresh per statement.
	Mirror bool
	// MirrorDir, with Mirror, keeps the mirror in a file in this directory (the driver's
	// mirror_dir), so that a new process (an Actions job restoring it with actions/cache) starts
	// warm and lists only what changed since it was saved.
	MirrorDir string
}

// Clock is the time a Store reads and waits by (Options.Clock), so that tests can run it on a
// fake one.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first; it returns ctx.Err() in the
	// second case.
	Sleep(ctx context.Context, d time.Duration) error
}

// DefaultConcurrency is Options.Concurrency when it is 0 (and the driver's default).
const DefaultConcurrency = 8

// ListOptions narrow List.
type ListOptions struct {
	Since time.Time // only objects updated at or after Since (zero: all)
	Limit int       // stop after this many objects (0: all)
}

// Store is an object store on one repository. It is safe for concurrent use.
type Store struct {
	impl *storeImpl
	// refreshed: a view from Refreshed, whose mirrored reads do not refresh again.
	refreshed bool
}

// New checks opts and makes a Store. It sends no request.
func New(opts Options) (*Store, error) {
	impl, err := newImpl(opts)
	if err != nil {
		return nil, err
	}
	return &Store{impl: impl}, nil
}

// Get reads one object. ErrNotFound when there is none.
func (s *Store) Get(ctx context.Context, id string) (*Object, error) {
	if m := s.impl.mirror; m != nil {
		if err := ValidateID(id); err != nil {
			return nil, err
		}
		if err := m.readyToRead(ctx, s.refreshed); err != nil {
			return nil, err
		}
		return m.lookup(id)
	}
	rs, err := s.impl.get(ctx, id, false)
	if err != nil {
		return nil, err
	}
	return rs.obj, nil
}

// GetMany reads several objects concurrently; ids with no object are left out; the result keeps
// the order of ids.
func (s *Store) GetMany(ctx context.Context, ids []string) ([]*Object, error) {
	if s.impl.mirror != nil {
		return s.impl.getManyMirrored(ctx, ids, s.refreshed)
	}
	return s.impl.getMany(ctx, ids)
}

// Create stores a new object. ErrDuplicateKey when a live object has that id.
func (s *Store) Create(ctx context.Context, id string, data json.RawMessage) (*Object, error) {
	return s.impl.create(ctx, id, data)
}

// Update deep-merges patch into the object (gh-store's merge: objects recurse; arrays, scalars
// and null replace).
func (s *Store) Update(ctx context.Context, id string, patch json.RawMessage) (*Object, error) {
	obj, _, err := s.impl.update(ctx, id, patch)
	return obj, err
}

// Replace makes data the object's whole state.
func (s *Store) Replace(ctx context.Context, id string, data json.RawMessage) (*Object, error) {
	obj, _, err := s.impl.replace(ctx, id, data)
	return obj, err
}

// Put writes the change from base (an object just read) to data without reading it again: the
// smallest deep-merge patch, or a replace when a key is removed. It is conditional: when another
// update of the object landed since base was read, nothing is applied and the error wraps
// ErrConflict (with Options.Async, gh-store's last-writer-wins model, it is not). changed is false
// (and nothing is sent) when data equals base.Data.
func (s *Store) Put(ctx context.Context, base *Object, data json.RawMessage) (obj *Object, changed bool, err error) {
	return s.impl.put(ctx, base, data)
}

// UpdateFunc changes object id to what fn makes of it, serializably (DESIGN.md §3a): fn gets the
// object's current state and returns the new data, or nil to leave it as it is (changed is then
// false). When another writer's update lands first, fn is called again on the state that update
// left, so no update is lost; after many lost races in a row the error wraps ErrConflict. fn may be
// called several times and must not have other effects.
func (s *Store) UpdateFunc(ctx context.Context, id string, fn func(cur *Object) (json.RawMessage, error)) (obj *Object, changed bool, err error) {
	return s.impl.updateWith(ctx, id, nil, fn)
}

// UpdateObjectFunc is UpdateFunc starting from base, an object just read (one request fewer): fn is
// first called on base.
func (s *Store) UpdateObjectFunc(ctx context.Context, base *Object, fn func(cur *Object) (json.RawMessage, error)) (obj *Object, changed bool, err error) {
	if base == nil {
		return nil, false, fmt.Errorf("%w: UpdateObjectFunc needs the object as read", ErrInvalidData)
	}
	return s.impl.updateWith(ctx, base.ID, base, fn)
}

// Upsert creates the object or replaces its state.
func (s *Store) Upsert(ctx context.Context, id string, data json.RawMessage) (obj *Object, created bool, err error) {
	return s.impl.upsert(ctx, id, data)
}

// Delete archives the object (soft delete). ErrNotFound when there is none.
func (s *Store) Delete(ctx context.Context, id string) error { return s.impl.remove(ctx, id) }

// DeleteObject archives an object just read, without reading it again.
func (s *Store) DeleteObject(ctx context.Context, base *Object) error {
	if base == nil {
		return fmt.Errorf("%w: DeleteObject needs the object as read", ErrInvalidData)
	}
	if err := ValidateID(base.ID); err != nil {
		return err
	}
	return s.impl.removeIssue(ctx, base.ID, base.Issue, base.duplicates)
}

// List pages through every live object (100 a page, never through the search API).
func (s *Store) List(ctx context.Context, opts ListOptions) iter.Seq2[*Object, error] {
	if s.impl.mirror != nil {
		return s.impl.listMirrored(ctx, opts, s.refreshed)
	}
	return s.impl.list(ctx, opts)
}

// Refreshed brings the mirror (Options.Mirror) up to date now, with one conditional list request
// while nothing changed, and returns a view of s whose reads (Get, GetMany, List) answer from the
// mirror as that refresh left it (and as this Store's own writes change it) without refreshing
// again: what one SQL statement reads. Without Options.Mirror it returns s, sending nothing.
func (s *Store) Refreshed(ctx context.Context) (*Store, error) {
	if s.impl.mirror == nil {
		return s, nil
	}
	if err := s.impl.mirror.refresh(ctx); err != nil {
		return nil, err
	}
	return &Store{impl: s.impl, refreshed: true}, nil
}

// History returns the object's log, the initial state first.
//
// With Options.Mirror the object's issue is the mirror's (after its refresh, or none in a view
// from Refreshed), so only the log is listed.
func (s *Store) History(ctx context.Context, id string) ([]Entry, error) {
	m := s.impl.mirror
	if m == nil {
		return s.impl.history(ctx, id)
	}
	if err := ValidateID(id); err != nil {
		return nil, err
	}
	if err := m.readyToRead(ctx, s.refreshed); err != nil {
		return nil, err
	}
	e, err := m.entryOf(id)
	if err != nil {
		return nil, err
	}
	return s.impl.historyOf(ctx, e.obj.ID, e.number, e.body, e.state == "open")
}

// Process materialises the pending updates of one issue: fold, PATCH body + close, +1 each newly
// applied comment.
func (s *Store) Process(ctx context.Context, issue int) (*Object, error) {
	return s.impl.process(ctx, issue)
}

// ProcessAll processes every open object; it returns how many it processed.
func (s *Store) ProcessAll(ctx context.Context) (int, error) { return s.impl.processAll(ctx) }

// Snapshot writes gh-store's snapshot JSON of every live object to w.
func (s *Store) Snapshot(ctx context.Context, w io.Writer) error { return s.impl.snapshot(ctx, w) }

// UpdateSnapshot brings the snapshot file at path up to date, reading only what changed since
// its snapshot_time.
func (s *Store) UpdateSnapshot(ctx context.Context, path string) error {
	return s.impl.updateSnapshot(ctx, path)
}

// CheckRepository asks GitHub for the repository (GET /repos/{owner}/{repo}, one request): the
// error wraps ErrRepoNotFound when it does not exist or the token cannot see it,
// ErrBadCredentials when the token is refused, ErrIssuesDisabled when it has Issues turned off.
func (s *Store) CheckRepository(ctx context.Context) error {
	return s.impl.checkRepository(ctx)
}

// LastScan returns what the last complete scan of this Store (List with no options) saw, and
// false before any: the store's size, as EXPLAIN costs a plan.
func (s *Store) LastScan() (ScanFigures, bool) {
	if f := s.impl.lastScan.Load(); f != nil {
		return *f, true
	}
	return ScanFigures{}, false
}

// Login returns the token's login (GET /user once; see DESIGN.md §3 for the Actions fallback).
func (s *Store) Login(ctx context.Context) (string, error) {
	login, err := s.impl.tokenLogin(ctx)
	if err != nil {
		return "", err
	}
	if login == "" {
		return "", errors.New("ghstore: the token's login is unknown: GET /user was refused and this Store has written nothing yet")
	}
	return login, nil
}
