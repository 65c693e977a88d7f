package store

import (
	"context"
	"errors"
	"github.com/ghstore/ghstore/internal/idkey"
	"iter"
	"weak"
)

// stopListing ends a listing early when the consumer stops.
type stopListing struct{}

func (stopListing) Error() string { return "stop" }

// list pages through the live objects, oldest first: ceil(M/100) requests (M counting deleted
// objects' archived issues too: the list is of the gh-store label, so that it does not shift under
// a concurrent delete; see pages.go), fetched side by side once page 1 names the last, plus the
// log of each open issue. It yields in order as each page is read (holding at most the window of
// pages fetched ahead), skips issues by untrusted authors and archived ones, and for ids met twice
// (case-insensitively) keeps the oldest. An object that cannot be read (ErrCorrupt) is yielded as
// an error and the listing goes on.
func (s *storeImpl) list(ctx context.Context, opts ListOptions) iter.Seq2[*Object, error] {
	return func(yield func(*Object, error) bool) {
		if err := s.waitForOwnWrites(ctx); err != nil { // lag.go: read this Store's writes
			yield(nil, err)
			return
		}
		// first holds each id's object as yielded, weakly: a younger duplicate met later is noted
		// on it while the caller still holds it (the driver's DELETE gathers before it deletes,
		// and then archives both), and a caller that streams (a SELECT) lets each object go, so
		// the listing holds no more than a page however many objects it yields.
		first := map[string]weak.Pointer[Object]{}
		count := 0
		var seen ScanFigures
		need := func() int {
			if opts.Limit > 0 {
				return max(1, opts.Limit-count)
			}
			return 0
		}
		// The gh-store label keeps a deleted object's issue in the list (see pages.go); a listing
		// of what changed since (UpdateSnapshot, which lists the archived issues of its own) asks
		// for the live ones only.
		labels := []string{labelStore}
		if !opts.Since.IsZero() {
			labels = []string{labelObject}
		}
		err := s.scanIssuePages(ctx, labels, "all", opts.Since, need, func(page []*ghIssue) (bool, error) {
			for _, iss := range page {
				ok, err := s.isObjectIssue(ctx, iss)
				if err != nil {
					return false, err
				}
				if !ok {
					continue
				}
				id, _ := objectID(iss.labels)
				key := idkey.Of(id)
				if wp, ok := first[key]; ok {
					if o := wp.Value(); o != nil {
						o.duplicates = append(o.duplicates, iss.number)
					}
					continue
				}
				rs, err := s.readIssue(ctx, iss, false)
				var obj *Object
				if rs != nil {
					obj = rs.obj
				}
				first[key] = weak.Make(obj)
				if obj != nil {
					seen.count(obj)
				}
				if !yield(obj, err) {
					return false, stopListing{}
				}
				if err == nil {
					count++
				}
				if opts.Limit > 0 && count >= opts.Limit {
					return false, stopListing{}
				}
			}
			return true, nil
		})
		switch {
		case err == nil && opts == (ListOptions{}):
			s.lastScan.Store(&seen) // a whole scan: the store's size as EXPLAIN costs it
		case err != nil && !errors.As(err, new(stopListing)):
			yield(nil, err)
		}
	}
}

// ScanFigures are what the last complete scan (List with no options) saw: M live objects, P of
// them with pending updates (each a comment listing in the next scan).
type ScanFigures struct {
	Objects, Open int
}

func (f *ScanFigures) count(o *Object) {
	f.Objects++
	if o.Pending > 0 {
		f.Open++
	}
}
