package store

import (
	"fmt"
	"sort"
	"time"

	"github.com/google/go-github/v66/github"
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

func newLogEntry(c *github.IssueComment, trusted bool) logEntry {
	e := logEntry{
		commentID: c.GetID(),
		author:    c.GetUser().GetLogin(),
		trusted:   trusted,
		createdAt: c.GetCreatedAt().Time,
		body:      c.GetBody(),
	}
	if r := c.GetReactions(); r != nil {
		e.plusOne = r.GetPlusOne()
	}
	e.parsed, e.isEntry = parseComment(e.body)
	return e
}

// folded is what an issue's log says.
type folded struct {
	data       *value      // the state: the fold of every trusted entry
	hasInitial bool        // a trusted initial-state comment exists
	updates    []*logEntry // trusted updates in fold order
	processed  []bool      // per update: already in the issue body
	version    int         // 1 + len(updates)
	pending    int         // updates not processed
}

// fold computes an object's state from its issue body and comments (DESIGN.md §3).
//
// The state is the first trusted initial-state comment's _data, then every other trusted update in
// (created_at, comment id) order: "append" (and legacy bare-JSON comments) deep-merge, "replace"
// replaces. Untrusted comments, non-JSON comments and JSON that is not an object never count.
//
// Processed and pending, a deliberate refinement of DESIGN.md §3 (which reads a `+1` from a trusted
// login as "processed"): a closed issue has nothing pending. For an open issue with an initial state,
// the processed updates are the longest prefix of the trusted updates whose fold equals the issue
// body (compared as JSON values), and the rest are pending. Only trusted users can write the body,
// so it witnesses what was processed; it costs no request (learning who gave a `+1` costs one per
// comment); and a stranger's `+1` can hide nothing. Only legacy objects (no initial-state comment),
// whose body is the base of the fold, read a `+1` in the reactions rollup as "processed" and fold
// the body with the unprocessed updates.
//
// A body that is not a JSON object is ErrCorrupt (naming the issue) when the state depends on it:
// a closed issue, or a legacy one.
func fold(issue int, body string, open bool, entries []logEntry) (*folded, error) {
	sorted := make([]*logEntry, 0, len(entries))
	for i := range entries {
		if entries[i].isEntry && entries[i].trusted {
			sorted = append(sorted, &entries[i])
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if !a.createdAt.Equal(b.createdAt) {
			return a.createdAt.Before(b.createdAt)
		}
		return a.commentID < b.commentID
	})
	f := &folded{}
	var initial *logEntry
	for _, e := range sorted {
		if e.parsed.kind == KindInitial {
			if initial == nil {
				initial = e
			}
			continue // a second initial state is not an update
		}
		f.updates = append(f.updates, e)
	}
	f.version = 1 + len(f.updates)
	f.processed = make([]bool, len(f.updates))
	bodyValue, bodyOK := parseObject([]byte(body))

	if initial == nil { // legacy: the body is the base
		if !bodyOK {
			return nil, corruptBody(issue)
		}
		f.data = bodyValue
		for i, u := range f.updates {
			f.processed[i] = !open || u.plusOne > 0
			if !f.processed[i] {
				f.data = applyEntry(f.data, u)
				f.pending++
			}
		}
		return f, nil
	}

	f.hasInitial = true
	states := make([]*value, len(f.updates)+1)
	states[0] = initial.parsed.data
	for i, u := range f.updates {
		states[i+1] = applyEntry(states[i], u)
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
	} else if !bodyOK {
		return nil, corruptBody(issue)
	}
	for i := range f.updates {
		f.processed[i] = i < done
	}
	f.pending = len(f.updates) - done
	return f, nil
}

func applyEntry(state *value, e *logEntry) *value {
	if e.parsed.kind == KindReplace {
		return e.parsed.data.clone()
	}
	return deepMerge(state, e.parsed.data)
}

func corruptBody(issue int) error {
	return fmt.Errorf("%w: issue #%d: its body is not a JSON object", ErrCorrupt, issue)
}
