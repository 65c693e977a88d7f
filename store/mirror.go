package store

import (
	"context"
	"errors"
	"github.com/ghstore/ghstore/internal/idkey"
	"sort"
	"strings"
	"sync"
	"time"
)

// mirror keeps every issue labelled gh-store in memory (Options.Mirror, the driver's cache=mirror)
// and brings it up to date with one conditional list request.
//
// The refresh lists GET /repos/{o}/{r}/issues?labels=gh-store&state=all&sort=updated&direction=asc
// &since=S&per_page=100. Three GitHub behaviours make this cheap and complete:
//
//   - Every change to an issue moves its updated_at: a comment (an update, or a stranger's), a PATCH
//     of body, state or labels (processing, deletion). So every change since S is in the answer.
//   - labels=gh-store, not stored-object: gh-store's soft delete keeps gh-store and UID:<id> and
//     swaps stored-object for archived, so deleted objects are in the answer too and are evicted.
//   - An answer that is byte for byte the same keeps its ETag, and the transport's ETag cache sends
//     the same URL with If-None-Match: an unchanged repository costs one request answered 304,
//     which GitHub does not count. For that the URL must not change while nothing changes.
//
// since is inclusive and whole-second (updated_at has no fraction), so the issues updated in the
// second S reappear in every answer; that is what keeps S safe: a change made in the very second of
// the newest issue seen is still listed. S moves lazily: it stays where it is while the answer is
// small (at most half a page), so a change costs one counted request (the same URL answered 200
// with the changed issues) and the next refresh is a 304 again. Moving S on every change would
// cost two (the old URL answering the change, then the new URL once before it can be answered 304).
// When the answer grows past half a page (the first, full load, or many changes), S moves to the
// newest updated_at seen and the new URL is listed at once, so that the next refresh is a 304.
//
// Paging through a list sorted by updated_at while someone writes can shift an issue across a page
// boundary: an issue updated during the walk leaves its place (every later one moves up a row) and
// reappears at the end. The walk sees such an issue twice; it then walks again from the same S
// (bounded), and never moves S past a walk that may have skipped one.
//
// A closed issue's body is its state (read from the list answer, no request); an open one needs
// its comments folded (1 request per 100 comments), which are listed only when the issue's
// (updated_at, comment count, state, body, labels) changed since they were last folded.
//
// Objects are what List yields: issues by a trusted author, live, and for ids met on several
// issues (case-insensitively) the oldest (lowest number).
//
// Not seen: an issue that loses the gh-store label altogether (gh-store never does that; ghstore's
// deletion keeps it), and a +1 given to a legacy object's update without any other change (GitHub
// does not move updated_at for a reaction; only legacy objects read the +1s). The next change to
// the issue brings either in.
type mirror struct {
	s *storeImpl

	flightMu sync.Mutex
	flight   *refreshCall // the refresh in flight, if any

	// dir keeps the mirror on disk (Options.MirrorDir, mirror_persist.go): loaded before the
	// first walk, saved after each walk that changed something. diskTried: the load was tried.
	dir       string
	diskTried bool // guarded by flightMu's one-refresh-at-a-time

	mu     sync.RWMutex
	loaded bool              // a refresh has completed
	since  time.Time         // the since of the next walk (zero: list everything)
	tick   uint64            // orders walks and write observations
	issues map[int]*mirrored // by issue number: every gh-store issue seen
	byID   map[string][]int  // lower-cased id → numbers of its live objects' issues, ascending
}

// refreshCall is one refresh that concurrent readers share.
type refreshCall struct {
	done chan struct{}
	err  error
}

// mirrored is one issue as the mirror knows it.
type mirrored struct {
	number    int
	id        string // from its UID label ("" if none)
	live      bool   // a live object's issue by a trusted author
	updatedAt time.Time
	comments  int
	state     string
	body      string
	labels    string
	// exact: obj (or err) is what the issue as keyed reads as. A write's answer for an open issue
	// gives a provisional state (exact false) that the next walk seeing the issue replaces.
	exact bool
	tick  uint64
	obj   *Object
	err   error // ErrCorrupt: the object cannot be read
}

const (
	// mirrorMaxWalks bounds the list walks of one refresh (a walk again after a page shift, and
	// the walk at a newly moved since).
	mirrorMaxWalks = 3
	// mirrorMoveSince: a walk answering more issues than this moves since (see mirror).
	mirrorMoveSince = perPage / 2
)

func newMirror(s *storeImpl) *mirror {
	return &mirror{s: s, issues: map[int]*mirrored{}, byID: map[string][]int{}}
}

// sameKey: what decides whether an issue changed since it was mirrored.
func sameKey(m *mirrored, iss *ghIssue) bool {
	return m.exact && m.updatedAt.Equal(iss.updatedAt) && m.comments == iss.comments &&
		m.state == iss.state && m.body == iss.body && m.labels == strings.Join(iss.labels, "\n")
}

// newer reports whether c should replace old. A later updated_at wins; within one second, more
// comments win (updates only add comments); at a tie the later of the two to begin wins (a walk
// begins before it sends its list, a write observation when its answer is in), except that a walk
// always replaces a provisional state. A walk that began before a write and merges after it thus
// keeps the write's answer when both are of the same second and comment count.
func newer(c, old *mirrored) bool {
	if old == nil {
		return true
	}
	if !c.updatedAt.Equal(old.updatedAt) {
		return c.updatedAt.After(old.updatedAt)
	}
	if c.comments != old.comments {
		return c.comments > old.comments
	}
	return !old.exact || c.tick >= old.tick
}

// refresh brings the mirror up to date. One refresh runs at a time; a reader that comes while one
// is in flight waits for it and shares its result (when it failed on its starter's cancelled
// context, the reader starts its own).
func (m *mirror) refresh(ctx context.Context) error {
	for {
		m.flightMu.Lock()
		if c := m.flight; c != nil {
			m.flightMu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				return ctx.Err()
			}
			if c.err != nil && ctx.Err() == nil &&
				(errors.Is(c.err, context.Canceled) || errors.Is(c.err, context.DeadlineExceeded)) {
				continue
			}
			return c.err
		}
		c := &refreshCall{done: make(chan struct{})}
		m.flight = c
		m.flightMu.Unlock()
		c.err = m.walkToNow(ctx)
		m.flightMu.Lock()
		m.flight = nil
		m.flightMu.Unlock()
		close(c.done)
		return c.err
	}
}

// readyToRead refreshes unless skip is set (a Store from Refreshed) and the mirror has been loaded.
func (m *mirror) readyToRead(ctx context.Context, skip bool) error {
	if skip {
		m.mu.RLock()
		loaded := m.loaded
		m.mu.RUnlock()
		if loaded {
			return nil
		}
	}
	return m.refresh(ctx)
}

// walkToNow is one refresh: a walk, again when the walk may have skipped an issue, and once more at a
// since it moved.
func (m *mirror) walkToNow(ctx context.Context) error {
	if m.dir != "" && !m.diskTried {
		m.diskTried = true
		// The file names the login trust was decided with: learn it first (GET /user, once per
		// Store), or a new process would never match the file its predecessor saved.
		if _, err := m.s.tokenLogin(ctx); err != nil {
			return err
		}
		_, _ = m.load(m.dir) // a file that is missing or not this mirror's: start from GitHub
	}
	m.mu.RLock()
	since := m.since
	m.mu.RUnlock()
	merged := 0
	defer func() {
		if m.dir != "" && merged > 0 {
			// Best effort: a mirror not saved costs the next process requests, never data.
			_ = m.save(m.dir)
		}
	}()
	for walk := 1; ; walk++ {
		res, err := m.walk(ctx, since)
		merged += res.merged
		if err != nil {
			return err
		}
		if res.shifted {
			if walk < mirrorMaxWalks {
				continue
			}
			break // since stays: the next refresh walks from it again
		}
		if res.listed > mirrorMoveSince && res.newest.After(since) {
			since = res.newest
			m.mu.Lock()
			m.since = since
			m.mu.Unlock()
			if walk < mirrorMaxWalks {
				continue
			}
		}
		break
	}
	m.mu.Lock()
	m.loaded = true
	m.mu.Unlock()
	return nil
}

type walkResult struct {
	listed  int       // issues in the answers
	newest  time.Time // the newest updated_at among them
	shifted bool      // an issue appeared twice: one may have been skipped
	merged  int       // entries that changed the mirror
}

// walk lists the gh-store issues updated at or after since and merges what changed.
func (m *mirror) walk(ctx context.Context, since time.Time) (walkResult, error) {
	s := m.s
	m.mu.Lock()
	m.tick++
	tick := m.tick
	m.mu.Unlock()

	var res walkResult
	seen := map[int]bool{}
	var changed []*ghIssue
	err := s.listIssuesSorted(ctx, []string{labelStore}, "all", "updated", since, func(page []*ghIssue) (bool, error) {
		m.mu.RLock()
		for _, iss := range page {
			n := iss.number
			if seen[n] {
				res.shifted = true
			}
			seen[n] = true
			res.listed++
			if u := iss.updatedAt; u.After(res.newest) {
				res.newest = u
			}
			if old := m.issues[n]; old == nil || !sameKey(old, iss) {
				changed = append(changed, iss)
			}
		}
		m.mu.RUnlock()
		return true, nil
	})
	if err != nil {
		return res, err
	}
	// An issue seen twice: keep its later answer.
	last := map[int]*ghIssue{}
	for _, iss := range changed {
		if prev := last[iss.number]; prev == nil || !iss.updatedAt.Before(prev.updatedAt) {
			last[iss.number] = iss
		}
	}
	issues := make([]*ghIssue, 0, len(last))
	for _, iss := range last {
		issues = append(issues, iss)
	}
	sortByNumber(issues)
	entries, err := m.read(ctx, issues, tick)
	if err != nil {
		return res, err
	}
	m.mu.Lock()
	for _, e := range entries {
		m.applyLocked(e)
	}
	m.mu.Unlock()
	res.merged = len(entries)
	return res, nil
}

// read turns listed issues into mirror entries: trust is decided, a closed live issue is read from
// its body, an open one by folding its comments (listed concurrently, at most Options.Concurrency
// at once).
func (m *mirror) read(ctx context.Context, issues []*ghIssue, tick uint64) ([]*mirrored, error) {
	s := m.s
	out := make([]*mirrored, len(issues))
	var open []int
	for i, iss := range issues {
		id, _ := objectID(iss.labels)
		live, err := s.isObjectIssue(ctx, iss)
		if err != nil {
			return nil, err
		}
		e := entryOf(iss, id, live, tick)
		out[i] = e
		switch {
		case !live:
		case iss.state != "open":
			e.obj, e.err = objectFromBody(iss)
		default:
			open = append(open, i)
		}
	}
	if len(open) == 0 {
		return out, nil
	}
	err := eachBounded(ctx, len(open), s.concurrency, true, func(ctx context.Context, k int) error {
		i := open[k]
		rs, err := s.readIssue(ctx, issues[i], false)
		switch {
		case err == nil:
			out[i].obj = rs.obj
		case errors.Is(err, ErrCorrupt):
			out[i].err = err
		default:
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func entryOf(iss *ghIssue, id string, live bool, tick uint64) *mirrored {
	return &mirrored{
		number:    iss.number,
		id:        id,
		live:      live,
		updatedAt: iss.updatedAt,
		comments:  iss.comments,
		state:     iss.state,
		body:      iss.body,
		labels:    strings.Join(iss.labels, "\n"),
		exact:     true,
		tick:      tick,
	}
}

// applyLocked puts e in place of what the mirror holds for its issue, when it is newer.
func (m *mirror) applyLocked(e *mirrored) {
	old := m.issues[e.number]
	if !newer(e, old) {
		return
	}
	if old != nil && old.live {
		m.unindexLocked(old)
	}
	m.issues[e.number] = e
	if e.live {
		key := idkey.Of(e.id)
		nums := m.byID[key]
		i := sort.SearchInts(nums, e.number)
		nums = append(nums, 0)
		copy(nums[i+1:], nums[i:])
		nums[i] = e.number
		m.byID[key] = nums
	}
}

func (m *mirror) unindexLocked(e *mirrored) {
	key := idkey.Of(e.id)
	nums := m.byID[key]
	for i, n := range nums {
		if n == e.number {
			nums = append(nums[:i:i], nums[i+1:]...)
			break
		}
	}
	if len(nums) == 0 {
		delete(m.byID, key)
	} else {
		m.byID[key] = nums
	}
}

// observe records what a write of this Store answered: iss is the issue as the write's last answer
// shows it, obj the object the write returned (nil: read it from iss when closed). exact says that
// obj is what the issue as answered reads as; an open issue's state from an async write is not
// (its base was read without the log), so the next walk that lists the issue folds it.
//
// Only issues whose author is trusted without asking GitHub are recorded (the token's own login,
// once known, or an association or login that is trusted); others wait for the next refresh.
func (m *mirror) observe(iss *ghIssue, obj *Object, exact bool) {
	if m == nil || iss == nil || iss.number == 0 || iss.updatedAt.IsZero() {
		return
	}
	s := m.s
	id, live := objectID(iss.labels)
	if live {
		live = s.isTrustedNow(iss.login, iss.assoc)
		if !live {
			return
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tick++
	e := entryOf(iss, id, live, m.tick)
	if live {
		switch {
		case obj != nil:
			o := *obj
			e.obj = &o
			e.exact = exact
		case iss.state != "open":
			e.obj, e.err = objectFromBody(iss)
		default:
			return
		}
	}
	m.applyLocked(e)
}

// entryOf returns the mirrored issue of object id (the oldest live one): ErrNotFound when there
// is none, the object's error when it cannot be read.
func (m *mirror) entryOf(id string) (mirrored, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	nums := m.byID[idkey.Of(id)]
	if len(nums) == 0 {
		return mirrored{}, notFound(id)
	}
	e := m.issues[nums[0]]
	if e.err != nil {
		return mirrored{}, e.err
	}
	return *e, nil
}

// lookup returns object id as mirrored.
func (m *mirror) lookup(id string) (*Object, error) {
	e, err := m.entryOf(id)
	if err != nil {
		return nil, err
	}
	o := cloneObject(e.obj)
	o.duplicates = m.duplicatesOf(&e)
	return o, nil
}

// objects returns the live objects (the oldest issue per id), oldest first, with their errors.
func (m *mirror) objects(since time.Time) []*mirrored {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]*mirrored, 0, len(m.byID))
	for _, nums := range m.byID {
		e := m.issues[nums[0]]
		if since.IsZero() || !e.updatedAt.Before(since) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].number < out[j].number })
	return out
}

func cloneObject(o *Object) *Object {
	c := *o
	c.Data = append([]byte(nil), o.Data...)
	c.duplicates = append([]int(nil), o.duplicates...)
	return &c
}

// duplicatesOf returns the younger live issues of e's id.
func (m *mirror) duplicatesOf(e *mirrored) []int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	nums := m.byID[idkey.Of(e.obj.ID)]
	if len(nums) < 2 {
		return nil
	}
	return append([]int(nil), nums[1:]...)
}
