package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// This file is the write protocol of an update (DESIGN.md §3a, §3b).
//
// Inline (read-your-writes, serializable), when nobody races: the object as read (1 request, a 304
// after a read), then
//  1. POST the update comment, naming in _meta.base the digest of the state it was computed from;
//  2. list the log's tail (logTail: the last page while the newest checkpoint is on it) and fold
//     it: the comment applies only if the state folded before it has that digest;
//  3. PATCH the body to the fold and close the issue, checked by the answer's comment count;
//  4. +1 our comment (and any other the body did not yet hold), so gh-store's processor skips it;
//
// 5 requests, 3 content-creating, at any history length, and one update in about checkpointEvery
// also writes a checkpoint (+2 content-creating). When the comment is superseded (another writer's
// update landed first), it gets its +1 (so gh-store's processor skips it too), the statement is
// evaluated again on the exact state the fold gives, and, if it still changes the object, a new
// comment is written on that state: each lost race costs one more comment, list and +1. After
// updateRounds lost races in a row (with jittered backoff between them) the caller gets
// ErrConflict.
//
// Async (gh-store's Actions model, last writer wins): the comment without a base, then PATCH state
// open; a processor applies it later.

const (
	// settleRounds bounds how often a write or Process lists and folds again because comments
	// kept arriving while it wrote the body.
	settleRounds = 10
	// updateRounds bounds the comments one update writes while it keeps losing races.
	updateRounds = 50
	// checkpointEvery is the count of trusted updates since the fold's base past which the writer
	// that settles an object also writes a checkpoint (§3b).
	checkpointEvery = 50
	// backoffUnit and backoffCap shape the jittered wait after a lost race: uniform in
	// [0, min(backoffCap, backoffUnit·2^round)).
	backoffUnit = 20 * time.Millisecond
	backoffCap  = time.Second
	// lagRounds bounds how often a write lists the log again because its own comment is not in
	// the listing yet (GitHub's listings can lag a write); lagWait is the first wait, doubling.
	lagRounds = 6
	lagWait   = 100 * time.Millisecond
)

// mutation computes an object's new state from its current one (cur, with its data parsed as old).
// nil leaves the object as it is (a WHERE that no longer holds, a change to an equal state).
type mutation func(cur *Object, old *value) (*value, error)

// change is a computed update: the comment to write and the state it leads to.
type change struct {
	kind  string // KindUpdate or KindReplace
	data  *value // the patch, or the whole new state
	state *value // base + this change
}

// computeChange finds the smallest change from old to new: nil when they are equal (nothing is sent).
// A change that removes a key anywhere is a "replace" carrying the whole new state; any other is an
// "append" carrying only the changed keys, recursively.
func computeChange(old, new *value) *change {
	patch, removed := diffPatch(old, new)
	switch {
	case removed:
		return &change{kind: KindReplace, data: new.clone(), state: new.clone()}
	case len(patch.keys) == 0:
		return nil
	}
	return &change{kind: KindUpdate, data: patch, state: deepMerge(old, patch)}
}

func (c *change) mode() string {
	if c.kind == KindReplace {
		return "replace"
	}
	return "append"
}

// checkChange refuses a change whose comment or resulting body would pass GitHub's limit.
func (s *storeImpl) checkChange(id string, c *change) error {
	env := envelopeOf(envelopeFields{data: c.data.compact(), mode: c.mode(), issue: math.MaxInt32, at: s.clock.Now(),
		base: digestPrefix + "00000000000000000000000000000000"})
	if err := checkIndented(id, "update comment", env); err != nil {
		return err
	}
	return checkIndented(id, "issue body after the update", c.state.compact())
}

// modify reads object id and applies fn to it, serializably (see the top of this file).
func (s *storeImpl) modify(ctx context.Context, id string, fn mutation) (*Object, bool, error) {
	rs, err := s.get(ctx, id, false)
	if err != nil {
		return nil, false, err
	}
	return s.updateFrom(ctx, rs.obj, fn, false)
}

// updateFrom applies fn to base (an object as read) and writes the change; conditional makes a
// lost race ErrConflict at once instead of evaluating fn again on the new state.
func (s *storeImpl) updateFrom(ctx context.Context, base *Object, fn mutation, conditional bool) (*Object, bool, error) {
	cur := base
	var lost *lostRace // the last race lost, if any
	for round := 0; ; round++ {
		old, ok := parseObject(cur.Data)
		if !ok {
			return nil, false, fmt.Errorf("%w: the data of %q (issue #%d) is not a JSON object", ErrInvalidData, cur.ID, cur.Issue)
		}
		next, err := fn(cur, old)
		if err != nil {
			return nil, false, err
		}
		var c *change
		if next != nil {
			c = computeChange(old, next)
		}
		if c == nil {
			if lost != nil {
				// Nothing (more) to write, but the race we lost may have left the closed
				// body behind the log (a writer that died between its comment and its PATCH):
				// settle it, or this caller would be told a state every reader contradicts.
				return s.settleLost(ctx, lost)
			}
			return cur, false, nil
		}
		if err := s.checkChange(cur.ID, c); err != nil {
			return nil, false, err
		}
		if s.async {
			obj, err := s.writeAsync(ctx, cur, c)
			return obj, err == nil, err
		}
		if cur, err = s.withSeen(ctx, cur); err != nil {
			return nil, false, err
		}
		obj, now, err := s.writeBased(ctx, cur, old, c)
		switch {
		case err != nil:
			return nil, false, err
		case obj != nil:
			return obj, true, nil
		case conditional:
			return nil, false, fmt.Errorf("%w: %q (issue #%d) changed since it was read; nothing was applied", ErrConflict, cur.ID, cur.Issue)
		case round+1 >= updateRounds:
			return nil, false, fmt.Errorf("%w: %q (issue #%d): the update lost %d races in a row to other writers; nothing was applied", ErrConflict, cur.ID, cur.Issue, updateRounds)
		}
		if err := s.clock.Sleep(ctx, s.backoff(round)); err != nil {
			return nil, false, fmt.Errorf("ghstore: updating %q (issue #%d), after a lost race: %w; nothing was applied", cur.ID, cur.Issue, err)
		}
		cur, lost = now.obj, now
	}
}

// lostRace is what a superseded update learnt: the object as the log has it, and that log.
type lostRace struct {
	obj  *Object
	tail *logTail
	fold *folded
}

// settleLost settles the object after a lost race when its body lags the fold; changed is false.
func (s *storeImpl) settleLost(ctx context.Context, l *lostRace) (*Object, bool, error) {
	if bv, ok := parseObject([]byte(l.obj.seen.body)); ok && valueEqual(bv, l.fold.data) {
		return l.obj, false, nil
	}
	obj, err := s.settle(ctx, l.obj.ID, l.obj.Issue, l.obj.seen.body, l.tail, l.fold)
	return obj, false, err
}

// backoff is the jittered wait after lost race number round (from 0).
func (s *storeImpl) backoff(round int) time.Duration {
	limit := backoffCap
	if round < 16 {
		limit = min(backoffCap, backoffUnit<<round)
	}
	return time.Duration(s.jitter() * float64(limit))
}

// withSeen returns base when it carries its issue as read, else reads the issue (1 request).
func (s *storeImpl) withSeen(ctx context.Context, base *Object) (*Object, error) {
	if base.seen.known {
		return base, nil
	}
	iss, err := s.gh.getIssue(ctx, base.Issue)
	if err != nil {
		return nil, s.apiErr(err, fmt.Sprintf("ghstore: reading issue #%d of %q", base.Issue, base.ID))
	}
	cur := *base
	cur.seen = seenOf(iss)
	return &cur, nil
}

// writeAsync sends a change as gh-store's Actions model does: the comment (no base: a later
// processor could not tell this writer that its update was refused), then PATCH state open.
func (s *storeImpl) writeAsync(ctx context.Context, cur *Object, c *change) (*Object, error) {
	n := cur.Issue
	env := envelope(c.data.compact(), c.mode(), n, s.stamps.next(), false)
	ours, err := s.createComment(ctx, n, string(env))
	if errors.Is(err, errMaybeWritten) {
		// Our update may be in the log: a closed body would hide it from readers.
		return nil, s.leaveOpen(ctx, cur.ID, n, err)
	}
	if err != nil {
		return nil, err
	}
	open := "open"
	iss, err := s.editIssue(ctx, n, issueEdit{state: &open})
	if err != nil {
		return nil, fmt.Errorf("ghstore: the update of %q is written (comment %d) but issue #%d could not be reopened: %w", cur.ID, ours.id, n, err)
	}
	obj := *cur
	obj.Data = c.state.compact()
	obj.Version++
	obj.Pending++
	obj.UpdatedAt = iss.updatedAt
	obj.seen = seenOf(iss)
	// Provisional in the mirror: the base was read without the log.
	s.mirror.observe(iss, &obj, false)
	return &obj, nil
}

// writeBased writes c as an inline update based on old (cur's state) and settles the object. It
// returns the object written, or, when the comment was superseded, nil and the object as the
// log now has it (the exact state to evaluate the statement on again).
func (s *storeImpl) writeBased(ctx context.Context, cur *Object, old *value, c *change) (written *Object, now *lostRace, err error) {
	n := cur.Issue
	env := baseEnvelope(c.data.compact(), c.mode(), n, s.stamps.next(), digestOf(old))
	ours, err := s.createComment(ctx, n, string(env))
	if errors.Is(err, errMaybeWritten) {
		// Our update may be in the log: a closed body would hide it from readers.
		return nil, nil, s.leaveOpen(ctx, cur.ID, n, err)
	}
	if err != nil {
		return nil, nil, err
	}
	t, err := s.readLogHolding(ctx, n, cur.seen.comments+1, ours.id)
	if err != nil {
		return nil, nil, s.leaveOpen(ctx, cur.ID, n, err)
	}
	f, err := fold(n, cur.seen.body, true, t.entries)
	if err != nil {
		return nil, nil, s.leaveOpen(ctx, cur.ID, n, err)
	}
	if applied, _ := f.appliedOf(ours.id); applied {
		obj, err := s.settle(ctx, cur.ID, n, cur.seen.body, t, f)
		return obj, nil, err
	}
	// Superseded: another update landed first. Its writer settles the object; ours gets its +1
	// now, so that gh-store's processor skips it too.
	if err := s.plusOne(ctx, ours.id); err != nil {
		return nil, nil, fmt.Errorf("ghstore: the update of %q (issue #%d) lost a race and was not applied, and marking its comment %d superseded failed: %w", cur.ID, n, ours.id, err)
	}
	next := *cur
	next.Data, next.Version = f.data.compact(), f.version
	next.seen.comments = t.total()
	return nil, &lostRace{obj: &next, tail: t, fold: f}, nil
}

// readLogHolding reads the tail of issue n's log, which must hold comment want (just written):
// GitHub's listings can lag a write by a moment, so a listing without it is asked again, waiting
// lagWait, then twice as long, up to lagRounds times.
func (s *storeImpl) readLogHolding(ctx context.Context, n, count int, want int64) (*logTail, error) {
	wait := lagWait
	for try := 0; ; try++ {
		t, err := s.readLog(ctx, n, count)
		lagging := s.recent.lag > 0 && errors.Is(err, ErrRepoNotFound) // a young issue's comments
		if (err != nil && !lagging) || (err == nil && t.holds(want)) {
			return t, err
		}
		if try+1 >= lagRounds {
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("ghstore: issue #%d: comment %d, just written, was still missing from its listing after %d tries", n, want, lagRounds)
		}
		if err := s.clock.Sleep(ctx, wait); err != nil {
			return nil, err
		}
		wait *= 2
	}
}

// settle materialises an issue's log: PATCH the body to the fold and close the issue, and check
// the answer's comment count against the tail's. When they differ a comment arrived that the fold
// lacks: list, fold and PATCH again (bounded). Then +1 every update the body did not hold before
// (applied or superseded: gh-store's processor skips +1'd comments), whatever reactions it
// carries (a stranger's +1 proves nothing), and write a checkpoint when one is due.
//
// body is the issue body as it was before (what it witnessed as processed); f is t's fold, or nil.
//
// Two processors racing therefore end with the full fold: whichever PATCHes last saw every comment
// its answer counts. When the comments keep arriving past the bound, the issue is left open, so
// readers fold the log and nothing is lost; the write has succeeded (its comment is in the log).
func (s *storeImpl) settle(ctx context.Context, id string, n int, body string, t *logTail, f *folded) (*Object, error) {
	for round := 0; round < settleRounds; round++ {
		if f == nil {
			var err error
			if f, err = fold(n, body, true, t.entries); err != nil {
				return nil, s.leaveOpen(ctx, id, n, err)
			}
		}
		compact := f.data.compact()
		if err := checkIndented(id, "issue body", compact); err != nil {
			return nil, s.leaveOpen(ctx, id, n, err)
		}
		newBody := indentJSON(compact, "")
		if err := checkSize(id, "issue body", newBody); err != nil {
			return nil, s.leaveOpen(ctx, id, n, err)
		}
		bodyStr, closed := string(newBody), "closed"
		got, err := s.editIssue(ctx, n, issueEdit{body: &bodyStr, state: &closed})
		if err != nil {
			return nil, s.leaveOpen(ctx, id, n, err)
		}
		if !jsonEqual([]byte(got.body), newBody) {
			// GitHub has been seen to answer 200 to an over-long body PATCH and keep the old
			// body (objectstack #18793): a closed issue whose body lacks the fold would hide
			// updates, so it is left open and the write fails.
			return nil, s.leaveOpen(ctx, id, n, fmt.Errorf("%w: issue #%d answered its body PATCH (%d bytes) with another body: GitHub did not store it", ErrUnsettled, n, len(newBody)))
		}
		if got.comments != t.total() {
			if t, err = s.readLog(ctx, n, got.comments); err != nil {
				return nil, s.leaveOpen(ctx, id, n, err)
			}
			f = nil
			continue
		}
		var marks []int64
		for i, u := range f.updates {
			if !f.processed[i] {
				marks = append(marks, u.commentID)
			}
		}
		if err := s.plusOnes(ctx, marks); err != nil {
			return nil, err
		}
		obj := objectFromFold(got, f)
		obj.Pending = 0
		s.mirror.observe(got, obj, true)
		s.checkpoint(ctx, n, f)
		return obj, nil
	}
	// Comments kept arriving: every one of them is in the log, so leaving the issue open (readers
	// fold it, the next writer or processor settles it) loses nothing, and the write succeeded.
	open := "open"
	got, err := s.editIssue(context.WithoutCancel(ctx), n, issueEdit{state: &open})
	if err != nil {
		return nil, fmt.Errorf("ghstore: issue #%d of %q: comments kept arriving for %d rounds, and reopening it failed: %w", n, id, settleRounds, err)
	}
	f, err = fold(n, body, true, t.entries)
	if err != nil {
		return nil, err
	}
	obj := objectFromFold(got, f)
	obj.Pending = max(1, obj.Pending)
	return obj, nil
}

// checkpoint writes a checkpoint of f (and its +1, so gh-store's processor skips it) when more than
// checkpointEvery trusted updates follow the fold's base (DESIGN.md §3b). It is an optimisation of
// later reads, not part of the write: the write has succeeded whatever happens here, so a failure
// is not reported (the next settle tries again), and one too large for a comment is not written.
func (s *storeImpl) checkpoint(ctx context.Context, n int, f *folded) {
	if len(f.updates) < checkpointEvery || !f.hasBase() {
		return
	}
	env := checkpointEnvelope(f.data.compact(), n, s.stamps.next(), f.last, f.version)
	if checkSize("", "checkpoint", env) != nil {
		return
	}
	c, err := s.createComment(ctx, n, string(env))
	if err != nil {
		return
	}
	_ = s.plusOne(ctx, c.id)
}

// leaveOpen reopens an issue whose processing failed part-way, so that readers fold its log (which
// holds every update) instead of trusting a body that may lack one, and returns cause.
func (s *storeImpl) leaveOpen(ctx context.Context, id string, issue int, cause error) error {
	open := "open"
	if _, err := s.editIssue(context.WithoutCancel(ctx), issue, issueEdit{state: &open}); err != nil {
		return fmt.Errorf("%w: %q (issue #%d): %w; reopening it failed too: %v", ErrUnsettled, id, issue, cause, err)
	}
	return fmt.Errorf("ghstore: processing %q (issue #%d), left open with its updates pending: %w", id, issue, cause)
}
