package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// A scan's issue list, fetched side by side (DESIGN.md §6): page 1 first; once its Link header
// names the last page, pages 2…last go out with at most `window` of them fetched ahead of the one
// being read, and are read strictly in order. The list is every issue labelled gh-store, any
// state, created ascending: a deleted object's issue keeps that label (it is archived, not
// removed) and a new object's issue is created after every other, so no page's contents shift
// while the scan runs, and fetching page 7 before page 6 is read neither skips nor repeats an
// issue. Should a page grow anyway (the last one, as objects are created meanwhile), the scan
// follows its "next" link one page at a time, and an issue met twice (by number) is read once.
//
// Pages are decoded into ghIssue, only the fields ghstore reads, straight from the answer's bytes
// (source_decode.go), instead of go-github's whole Issue structs.

// fetchedPage is one page as fetched: its issues and where the list goes on.
type fetchedPage struct {
	issues     []ghIssue
	next, last int // from the Link header; 0 when absent
	err        error
}

// fetchIssuePage GETs page n (from 1) of the list q.
func (s *storeImpl) fetchIssuePage(ctx context.Context, q issueQuery, n int) fetchedPage {
	p, err := s.gh.listIssues(ctx, q, n)
	if err != nil {
		return fetchedPage{err: s.apiErr(err, fmt.Sprintf("ghstore: listing issues labelled %s, page %d", joinComma(q.labels), n))}
	}
	return fetchedPage{issues: p.issues, next: p.next, last: p.last}
}

// pagedScan is one scan's fetching of its pages.
type pagedScan struct {
	s      *storeImpl
	q      issueQuery
	window int
	// need is how many more issues the reader wants (0: all); pages are not fetched ahead past
	// what it can use.
	need func() int
	// visit reads one page, in order; it returns false to stop.
	visit func([]*ghIssue) (bool, error)
	seen  issueSet
}

// scanIssuePages lists the issues carrying every label in labels (state, updated at or after
// since when not zero), created ascending, and calls visit with each page in order. Pull
// requests are left out, and so is an issue met again.
func (s *storeImpl) scanIssuePages(ctx context.Context, labels []string, state string, since time.Time, need func() int,
	visit func([]*ghIssue) (bool, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ps := &pagedScan{s: s, q: issueQuery{labels: labels, state: state, sort: "created", since: since}, window: max(1, s.concurrency), need: need, visit: visit}
	first := s.fetchIssuePage(ctx, ps.q, 1)
	if first.err != nil {
		return first.err
	}
	more, err := ps.read(first)
	if err != nil || !more {
		return err
	}
	if first.last > 1 {
		var wg sync.WaitGroup
		defer wg.Wait() // after cancel: no fetch outlives the scan
		defer cancel()
		p, done, err := ps.sideBySide(ctx, &wg, first.last)
		if err != nil || done {
			return err
		}
		first = p
	}
	// Without a last page named, or past it: one page after another, by the "next" links.
	for p := first; p.next != 0; {
		p = s.fetchIssuePage(ctx, ps.q, p.next)
		if p.err != nil {
			return p.err
		}
		if more, err := ps.read(p); err != nil || !more {
			return err
		}
	}
	return nil
}

// sideBySide fetches pages 2…last with up to window of them ahead of the reader, and reads them
// in order. It returns the last page read (whose "next" link says whether the list has grown),
// or done when the reader stopped.
func (ps *pagedScan) sideBySide(ctx context.Context, wg *sync.WaitGroup, last int) (lastRead fetchedPage, done bool, err error) {
	var queue []chan fetchedPage // the pages fetched or under way, in order
	next := 2
	launch := func() {
		ch := make(chan fetchedPage, 1)
		queue = append(queue, ch)
		n := next
		next++
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- ps.s.fetchIssuePage(ctx, ps.q, n)
		}()
	}
	// more says whether another page may go out, with held pages fetched or under way and not
	// yet read (the one being read among them): at most window ahead of the reader, and no more
	// than the issues the reader still wants can fill.
	more := func(held int) bool {
		if next > last || len(queue) >= ps.window {
			return false
		}
		n := ps.need()
		return n <= 0 || held < (n+perPage-1)/perPage
	}
	for {
		for more(len(queue)) {
			launch()
		}
		if len(queue) == 0 {
			return lastRead, false, nil
		}
		select {
		case lastRead = <-queue[0]:
		case <-ctx.Done():
			return lastRead, true, ctx.Err()
		}
		queue = queue[1:]
		if lastRead.err != nil {
			return lastRead, true, lastRead.err
		}
		// The next page goes out before this one is read, so the window stays full.
		for more(len(queue) + 1) {
			launch()
		}
		goOn, err := ps.read(lastRead)
		if err != nil || !goOn {
			return lastRead, true, err
		}
	}
}

// read hands a page's issues to visit, leaving out pull requests and issues already read.
func (ps *pagedScan) read(p fetchedPage) (bool, error) {
	page := make([]*ghIssue, 0, len(p.issues))
	for i := range p.issues {
		li := &p.issues[i]
		if li.pull || !ps.seen.add(li.number) {
			continue
		}
		page = append(page, li)
	}
	return ps.visit(page)
}

// issueSet is a set of issue numbers, a bit each.
type issueSet struct{ bits []uint64 }

// add puts n in the set; false when it was there already.
func (s *issueSet) add(n int) bool {
	w, b := n/64, uint(n%64)
	if w >= len(s.bits) {
		s.bits = append(s.bits, make([]uint64, w+1-len(s.bits))...)
	}
	if s.bits[w]&(1<<b) != 0 {
		return false
	}
	s.bits[w] |= 1 << b
	return true
}
