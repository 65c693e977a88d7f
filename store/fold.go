package store

import (
	"fmt"
	"sort"
	"time"
)

// logEntry is one comment of an object's issue, read as a log entry.
type logEntry struct {
	commentID int64
	author    string
	trusted   bool
	createdAt time.Time
	plusOne   int // the +1 count of the comment's reactions rollup
	body      string
	parsed    parsedComment
	isEntry   bool // the comment is a JSON object (a log entry); other comments are ignored
}

func newLogEntry(c *ghComment, trusted bool) logEntry {
	e := logEntry{
		commentID: c.id,
		author:    c.login,
		trusted:   trusted,
		createdAt: c.createdAt,
		plusOne:   c.plusOne,
		body:      c.body,
	}
	e.parsed, e.isEntry = parseComment(e.body)
	return e
}

// logOrder is the order of the log: (created_at, comment id).
func logOrder(a, b *logEntry) bool {
	if !a.createdAt.Equal(b.createdAt) {
		return a.createdAt.Before(b.createdAt)
	}
	return a.commentID < b.commentID
}

// folded is what an issue's log says.
type folded struct {
	data *value // the state
	// base is where the fold started: the newest trusted checkpoint, else the first trusted
	// initial state; nil for a legacy object, whose body is the base.
	base      *logEntry
	updates   []*logEntry // trusted updates after the base, in log order, applied or superseded
	applied   []bool      // per update: folded into data (false: superseded, §3a)
	processed []bool      // per update: already in the issue body
	version   int         // the base's version + applied updates
	pending   int         // applied updates not processed
	last      int64       // the id of the last trusted comment folded (a checkpoint's `through`)
}

// hasBase reports whether the fold started from a trusted initial state or checkpoint.
func (f *folded) hasBase() bool { return f.base != nil }

// fold computes an object's state from its issue body and the trusted log (DESIGN.md §3, §3a, §3b).
//
// The base is the newest trusted checkpoint (its data and version), else the first trusted
// initial state (version 1). Then every trusted update after it, in (created_at, comment id) order
// (after a checkpoint: those whose comment id is past its `through`), is applied by the
// compare-and-swap rule: an update that names a `_meta.base` applies only when the digest of the
// state folded so far equals it, else it is superseded (not applied, not counted in version); an
// update without a base (gh-store's, legacy, apply=async) always applies. "append" (and legacy
// bare-JSON comments) deep-merge, "replace" replaces. Untrusted comments, non-JSON comments and
// JSON that is not an object never count. entries may be only the tail of the log, as long as it
// holds the base (logTail sees to that).
//
// Processed and pending: a closed issue has nothing pending. On an open issue with a base, the
// processed updates are the longest prefix whose fold equals the issue body (compared as JSON
// values): only trusted users can write the body, so it witnesses what was processed, at no
// request, and a stranger's `+1` can hide nothing. Only legacy objects (no initial state), whose
// body is the base of the fold, read a `+1` in the reactions rollup as "processed" and fold the
// body with the unprocessed updates.
//
// A body that is not a JSON object is ErrCorrupt (naming the issue) when the state depends on it:
// a closed issue, or a legacy one.
func fold(issue int, body string, open bool, entries []logEntry) (*folded, error) {
	return foldLog(issue, body, open, entries, true)
}

// foldWhole folds the whole log from the initial state, ignoring checkpoints: the same state when
// every checkpoint is right (a checkpoint is the fold through its `through`), and an applied flag
// for every update (history).
func foldWhole(issue int, body string, open bool, entries []logEntry) (*folded, error) {
	return foldLog(issue, body, open, entries, false)
}

func foldLog(issue int, body string, open bool, entries []logEntry, fromCheckpoint bool) (*folded, error) {
	sorted := make([]*logEntry, 0, len(entries))
	for i := range entries {
		if entries[i].isEntry && entries[i].trusted {
			sorted = append(sorted, &entries[i])
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool { return logOrder(sorted[i], sorted[j]) })
	f := &folded{base: foldBase(sorted, fromCheckpoint)}
	for _, e := range sorted {
		switch {
		case e.parsed.kind == KindInitial || e.parsed.kind == KindCheckpoint:
			// not updates: a second initial state, or a checkpoint, changes nothing
		case f.base != nil && f.base.parsed.kind == KindCheckpoint && e.commentID <= f.base.parsed.through:
			// folded into the checkpoint
		default:
			f.updates = append(f.updates, e)
		}
		f.last = max(f.last, e.commentID)
	}
	f.applied = make([]bool, len(f.updates))
	f.processed = make([]bool, len(f.updates))
	bodyValue, bodyOK := parseObject([]byte(body))

	if f.base == nil { // legacy: the body is the base
		if !bodyOK {
			return nil, corruptBody(issue)
		}
		f.data, f.version = bodyValue, 1
		for i, u := range f.updates {
			f.processed[i] = !open || u.plusOne > 0
			if f.processed[i] {
				f.applied[i] = true
				f.version++
				continue
			}
			if next, ok := applyEntry(f.data, u); ok {
				f.data, f.applied[i] = next, true
				f.version++
				f.pending++
			}
		}
		return f, nil
	}

	states := make([]*value, len(f.updates)+1)
	states[0] = f.base.parsed.data
	f.version = max(1, f.base.parsed.version)
	for i, u := range f.updates {
		next, ok := applyEntry(states[i], u)
		states[i+1], f.applied[i] = next, ok
		if ok {
			f.version++
		}
	}
	f.data = states[len(f.updates)]
	done := len(f.updates)
	if open {
		done = 0
		if bodyOK {
			for k := len(states) - 1; k >= 0; k-- {
				if valueEqual(states[k], bodyValue) {
					done = k
					break
				}
			}
		}
		// Superseded updates leave the state as it was, so the body also "equals" the state
		// after them; they are processed only once an applied update after them is.
		for done > 0 && !f.applied[done-1] {
			done--
		}
	} else if !bodyOK {
		return nil, corruptBody(issue)
	}
	for i := range f.updates {
		f.processed[i] = i < done
		if !f.processed[i] && f.applied[i] {
			f.pending++
		}
	}
	return f, nil
}

// foldBase is the newest trusted checkpoint of a sorted trusted log (when fromCheckpoint), else its
// first initial state, else nil.
func foldBase(sorted []*logEntry, fromCheckpoint bool) *logEntry {
	for i := len(sorted) - 1; i >= 0 && fromCheckpoint; i-- {
		if sorted[i].parsed.kind == KindCheckpoint {
			return sorted[i]
		}
	}
	for _, e := range sorted {
		if e.parsed.kind == KindInitial {
			return e
		}
	}
	return nil
}

// applyEntry applies one update to state by the compare-and-swap rule; ok is false (and state is
// returned as it is) when the update names a base that is not state's digest: it is superseded.
func applyEntry(state *value, e *logEntry) (*value, bool) {
	if e.parsed.base != "" && e.parsed.base != digestOf(state) {
		return state, false
	}
	if e.parsed.kind == KindReplace {
		return e.parsed.data.clone(), true
	}
	return deepMerge(state, e.parsed.data), true
}

// appliedOf reports whether the update with comment id was applied by the fold, and whether the
// fold holds it at all.
func (f *folded) appliedOf(commentID int64) (applied, found bool) {
	for i, u := range f.updates {
		if u.commentID == commentID {
			return f.applied[i], true
		}
	}
	return false, false
}

func corruptBody(issue int) error {
	return fmt.Errorf("%w: issue #%d: its body is not a JSON object", ErrCorrupt, issue)
}
