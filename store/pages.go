package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v66/github"
	"github.com/tidwall/gjson"
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
// Pages are decoded into listedIssue, only the fields ghstore reads, straight from the answer's
// bytes (gjson), instead of go-github's whole Issue structs.

// listedIssue is what a scan reads of one issue in a list.
type listedIssue struct {
	number    int
	state     string
	body      string
	login     string // the author
	assoc     string // author_association
	labels    []string
	comments  int
	createdAt time.Time
	updatedAt time.Time
	pull      bool // a pull request, which the issues list also returns
}

// issue is li as the go-github Issue the rest of the store reads (readIssue, isObjectIssue).
func (li *listedIssue) issue() *github.Issue {
	labels := make([]*github.Label, len(li.labels))
	for i := range li.labels {
		labels[i] = &github.Label{Name: &li.labels[i]}
	}
	return &github.Issue{
		Number:            &li.number,
		State:             &li.state,
		Body:              &li.body,
		User:              &github.User{Login: &li.login},
		AuthorAssociation: &li.assoc,
		Labels:            labels,
		Comments:          &li.comments,
		CreatedAt:         &github.Timestamp{Time: li.createdAt},
		UpdatedAt:         &github.Timestamp{Time: li.updatedAt},
	}
}

// errBadPage is a list answer that is not a JSON array of issues.
var errBadPage = errors.New("the answer is not a JSON array of issues")

// maxPageBytes bounds one page of the list: 100 issues of at most 65,536 characters of body
// each, 4 bytes a character at worst (escaped: 6), with room for the rest.
const maxPageBytes = 64 << 20

// decodeIssuePage reads one page of the issue list. The strings it returns share no memory
// with body, so that an object read from the page does not hold the whole page.
func decodeIssuePage(body string) ([]listedIssue, error) {
	if !gjson.Valid(body) {
		return nil, errBadPage
	}
	arr := gjson.Parse(body)
	if !arr.IsArray() {
		return nil, errBadPage
	}
	out := make([]listedIssue, 0, perPage)
	var bad error
	arr.ForEach(func(_, v gjson.Result) bool {
		if !v.IsObject() {
			bad = errBadPage
			return false
		}
		var li listedIssue
		v.ForEach(func(k, f gjson.Result) bool {
			switch k.Str {
			case "number":
				li.number = int(f.Int())
			case "state":
				li.state = known(f.Str, "open", "closed")
			case "body":
				li.body = strings.Clone(f.String()) // a copy already when it has escapes
			case "user":
				li.login = strings.Clone(f.Get("login").String())
			case "author_association":
				li.assoc = known(f.Str, "OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR", "NONE")
			case "labels":
				f.ForEach(func(_, l gjson.Result) bool {
					if l.IsObject() {
						l = l.Get("name")
					}
					li.labels = append(li.labels, strings.Clone(l.String()))
					return true
				})
			case "comments":
				li.comments = int(f.Int())
			case "created_at":
				li.createdAt, bad = parseListedTime(f)
			case "updated_at":
				li.updatedAt, bad = parseListedTime(f)
			case "pull_request":
				li.pull = f.Type != gjson.Null
			}
			return bad == nil
		})
		if bad == nil && li.number <= 0 {
			bad = errBadPage
		}
		if bad != nil {
			return false
		}
		out = append(out, li)
		return true
	})
	if bad != nil {
		return nil, bad
	}
	return out, nil
}

// known returns s as the one of names it equals (no memory shared with s), else a copy of s.
func known(s string, names ...string) string {
	for _, n := range names {
		if s == n {
			return n
		}
	}
	return strings.Clone(s)
}

// parseListedTime reads a timestamp of the list (RFC 3339; null is the zero time).
func parseListedTime(f gjson.Result) (time.Time, error) {
	if f.Type == gjson.Null {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, f.Str)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: a timestamp %q", errBadPage, f.Str)
	}
	return t, nil
}

// issueListQuery is the query of the scan's list, built the same way every time so that the
// transport's ETag cache can answer a repeat with a 304.
func issueListQuery(labels []string, state string, since time.Time) url.Values {
	q := url.Values{}
	q.Set("labels", joinComma(labels))
	q.Set("state", state)
	q.Set("sort", "created")
	q.Set("direction", "asc")
	q.Set("per_page", strconv.Itoa(perPage))
	if !since.IsZero() {
		q.Set("since", since.Format(time.RFC3339))
	}
	return q
}

func joinComma(ss []string) string {
	var b bytes.Buffer
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s)
	}
	return b.String()
}

// fetchedPage is one page as fetched: its issues and where the list goes on.
type fetchedPage struct {
	issues     []listedIssue
	next, last int // from the Link header; 0 when absent
	err        error
}

// fetchIssuePage GETs page n (from 1) of the list with query q.
func (s *storeImpl) fetchIssuePage(ctx context.Context, q url.Values, n int) fetchedPage {
	q2 := url.Values{}
	for k, v := range q {
		q2[k] = v
	}
	if n > 1 {
		q2.Set("page", strconv.Itoa(n))
	}
	what := fmt.Sprintf("ghstore: listing issues labelled %s, page %d", q.Get("labels"), n)
	req, err := s.gh.NewRequest("GET", fmt.Sprintf("repos/%s/%s/issues?%s", s.owner, s.repo, q2.Encode()), nil)
	if err != nil {
		return fetchedPage{err: fmt.Errorf("%s: %w", what, err)}
	}
	resp, err := s.gh.BareDo(ctx, req)
	if err != nil {
		return fetchedPage{err: s.apiErr(err, what)}
	}
	// The page is read into one string of its announced size (a Builder's String does not
	// copy), which the decoder reads in place; what outlives the page is copied out of it.
	var body strings.Builder
	if n := resp.ContentLength; n > 0 && n <= maxPageBytes {
		body.Grow(int(n))
	}
	_, err = io.Copy(&body, io.LimitReader(resp.Body, maxPageBytes+1))
	resp.Body.Close()
	if err != nil {
		return fetchedPage{err: fmt.Errorf("%s: reading the answer: %w", what, err)}
	}
	if body.Len() > maxPageBytes {
		return fetchedPage{err: fmt.Errorf("%s: the answer is larger than %d bytes", what, maxPageBytes)}
	}
	issues, err := decodeIssuePage(body.String())
	if err != nil {
		return fetchedPage{err: fmt.Errorf("%s: %w", what, err)}
	}
	return fetchedPage{issues: issues, next: resp.NextPage, last: resp.LastPage}
}

// pagedScan is one scan's fetching of its pages.
type pagedScan struct {
	s      *storeImpl
	q      url.Values
	window int
	// need is how many more issues the reader wants (0: all); pages are not fetched ahead past
	// what it can use.
	need func() int
	// visit reads one page, in order; it returns false to stop.
	visit func([]*github.Issue) (bool, error)
	seen  issueSet
}

// scanIssuePages lists the issues carrying every label in labels (state, updated at or after
// since when not zero), created ascending, and calls visit with each page in order. Pull
// requests are left out, and so is an issue met again.
func (s *storeImpl) scanIssuePages(ctx context.Context, labels []string, state string, since time.Time, need func() int,
	visit func([]*github.Issue) (bool, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ps := &pagedScan{s: s, q: issueListQuery(labels, state, since), window: max(1, s.concurrency), need: need, visit: visit}
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
	page := make([]*github.Issue, 0, len(p.issues))
	for i := range p.issues {
		li := &p.issues[i]
		if li.pull || !ps.seen.add(li.number) {
			continue
		}
		page = append(page, li.issue())
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
