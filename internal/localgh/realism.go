package localgh

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Realism turns on behaviours of the real GitHub that a perfectly consistent, perfectly patient
// server hides from its clients: replication lag, per-token ETags, the secondary limits on bursts
// and on concurrency, and an over-long body PATCH that is silently not stored. Each is off at its
// zero value, so Options{} keeps the server as consistent as before; RealisticGitHub is a set
// with all of them on.
//
// Every time here is Options.Now's, at full resolution (not GitHub's whole seconds).
type Realism struct {
	// Lag is the replication lag of reads after a write. For Lag after an issue is created, a
	// GET of it (or of anything under /issues/N: comments, reactions, labels) answers 404 and
	// issue listings omit it; for Lag after an issue's labels change, issue listings filter and
	// show it with the labels it had before (its other fields are current). Writes see no lag.
	//
	// Sources: octokit.js #900 (octokit's maintainers: a GET right after a create can 404 for a
	// few seconds, read from a replica); judell/bram #254 and HubTurbo #502 (a just-created
	// issue, or a label change, missing from listings for seconds, reported for minutes).
	Lag time.Duration

	// PerTokenETags makes an ETag valid only for the token it was given to: a conditional GET
	// with another token's ETag (even the same user's) answers 200, and is counted. Without it
	// ETags are per user and Accept.
	//
	// Source: github/docs #34689 (ETags differ per token; a new token, as every Actions job
	// has, revalidates nothing).
	PerTokenETags bool

	// WriteInterval, when > 0, is the burst detector: a user's content-creating requests
	// (POST, PATCH, PUT, DELETE) closer together than WriteInterval, beyond a burst of
	// WriteBurst back to back, are refused with the secondary-limit 403 (not applied). It is a
	// token bucket of WriteBurst tokens that refills one every WriteInterval (the generic cell
	// rate algorithm); WriteBurst 0 means 1: every write at least WriteInterval after the last.
	//
	// Source: GitHub's REST best practices ("Avoid concurrent requests" / "Pause between
	// mutative requests": make a user's POST, PATCH, PUT and DELETE requests serially, at least
	// one second apart when there are many; otherwise a secondary rate limit).
	WriteInterval time.Duration
	WriteBurst    int

	// MaxConcurrent, when > 0, caps a user's requests in flight at once (from arrival to
	// answer, injected latency included); a request beyond the cap is refused with the
	// secondary-limit 403 (not applied).
	//
	// Source: GitHub's REST rate-limit page, secondary limits: "No more than 100 concurrent
	// requests are allowed".
	MaxConcurrent int

	// SecondaryRetryAfter is the Retry-After (seconds) of the secondary-limit answers the burst
	// detector and the concurrency cap give; 0 gives them without Retry-After, as GitHub
	// sometimes does (its docs: then wait at least a minute, longer on each repeat).
	//
	// Source: GitHub's REST rate-limit page and best practices ("If the retry-after response
	// header is not present, … wait for at least one minute before retrying").
	SecondaryRetryAfter int

	// SilentBodyBytes, when > 0, makes a PATCH of an issue whose body is longer than this many
	// UTF-8 bytes (yet within GitHub's 65,536 characters, else the usual 422) answer 200 and
	// keep the old body; the rest of the PATCH (state, labels, title) is applied.
	//
	// Source: objectstack #18793 (an over-long PATCH of an issue body answered 200 and kept the
	// old body); GITHUB.md: stay under 65,536 in bytes too.
	SilentBodyBytes int
}

// RealisticGitHub is every Realism behaviour at the figures GitHub is documented or reported to
// show: 2 s of lag, per-token ETags, writes 1 s apart after a burst of 3, 100 requests in flight,
// secondary-limit answers without Retry-After, and bodies over 65,536 bytes silently kept.
func RealisticGitHub() Realism {
	return Realism{
		Lag:             2 * time.Second,
		PerTokenETags:   true,
		WriteInterval:   time.Second,
		WriteBurst:      3,
		MaxConcurrent:   100,
		SilentBodyBytes: maxBodyChars,
	}
}

// realism keeps what the Realism behaviours need to remember. Everything but the in-flight
// counts is guarded by server.mu.
type realism struct {
	opts Realism
	now  func() time.Time

	created map[*issue]time.Time   // issues younger than Lag
	labels  map[*issue]*labelTrail // label changes younger than Lag
	tat     map[string]time.Time   // burst detector: per login, the theoretical arrival time

	flightMu sync.Mutex
	flight   map[string]int // requests in flight per login ("" anonymous)
}

// labelTrail is an issue's label sets within the lag window: base before the first change kept,
// then each change with its time.
type labelTrail struct {
	base    []*label
	changes []labelChange
}

type labelChange struct {
	at     time.Time
	labels []*label
}

func newRealism(o Realism, now func() time.Time) *realism {
	return &realism{opts: o, now: now, created: map[*issue]time.Time{}, labels: map[*issue]*labelTrail{},
		tat: map[string]time.Time{}, flight: map[string]int{}}
}

// overCapKey marks, in a request's context, a request that arrived beyond MaxConcurrent.
type overCapKey struct{}

// enter counts r in flight for its user (MaxConcurrent) and returns the request to serve and a
// func to call when it is answered. Without a cap it returns r unchanged.
func (s *server) enterFlight(r *http.Request) (*http.Request, func()) {
	re := s.real
	if re == nil || re.opts.MaxConcurrent <= 0 {
		return r, func() {}
	}
	s.mu.Lock()
	login, _ := s.identify(r)
	s.mu.Unlock()
	re.flightMu.Lock()
	re.flight[login]++
	over := re.flight[login] > re.opts.MaxConcurrent
	re.flightMu.Unlock()
	if over {
		r = r.WithContext(context.WithValue(r.Context(), overCapKey{}, true))
	}
	return r, func() {
		re.flightMu.Lock()
		if re.flight[login]--; re.flight[login] <= 0 {
			delete(re.flight, login)
		}
		re.flightMu.Unlock()
	}
}

// admit is the Realism check before a request is routed: a secondary-limit answer for a request
// over the concurrency cap or the burst detector, a 404 for a GET of an issue still in its lag
// window, else nil. It returns a func to call after routing, which records what the request
// changed (a created issue, a label change). Callers hold s.mu.
func (s *server) admit(rc *reqCtx) (refused *answer, after func()) {
	re := s.real
	after = func() {}
	if re == nil {
		return nil, after
	}
	now := re.now()
	if over, _ := rc.r.Context().Value(overCapKey{}).(bool); over {
		return re.secondaryLimit(), after
	}
	if isCreating(rc.method) && rc.login != "" && !re.allowWrite(rc.login, now) {
		return re.secondaryLimit(), after
	}
	r, is := s.issueOfPath(rc.segs)
	if rc.method == http.MethodGet && is != nil && re.hidden(is, now) {
		return notFound(), after
	}
	if re.opts.Lag <= 0 || !isCreating(rc.method) || r == nil {
		return nil, after
	}
	issues := len(r.issues)
	var before []*label
	if is != nil {
		before = append([]*label(nil), is.Labels...)
	}
	return nil, func() {
		at := re.now()
		for _, n := range r.issues[issues:] {
			re.created[n] = at
		}
		if is != nil && !sameLabelSet(before, is.Labels) {
			re.labelChanged(is, before, at)
		}
	}
}

// issueOfPath finds the repository and issue a path /repos/{o}/{r}/issues[/{n}[/…]] names (nil
// when it names none). Callers hold s.mu.
func (s *server) issueOfPath(segs []string) (*repo, *issue) {
	if len(segs) < 4 || segs[0] != "repos" || segs[3] != "issues" {
		return nil, nil
	}
	r := s.st.repo(segs[1], segs[2])
	if r == nil || len(segs) < 5 {
		return r, nil
	}
	n, err := strconv.Atoi(segs[4])
	if err != nil {
		return r, nil
	}
	return r, r.issue(n)
}

// secondaryLimit is GitHub's secondary-limit 403, with Retry-After when SecondaryRetryAfter says.
func (re *realism) secondaryLimit() *answer {
	a := errAnswer(http.StatusForbidden, msgSecondaryLimit, docsSecondaryLimit)
	if re.opts.SecondaryRetryAfter > 0 {
		a.header.Set("Retry-After", strconv.Itoa(re.opts.SecondaryRetryAfter))
	}
	return a
}

// allowWrite is the burst detector (GCRA): a write may go at now when now ≥ tat − (burst−1)·interval;
// it then moves tat to max(tat, now) + interval.
func (re *realism) allowWrite(login string, now time.Time) bool {
	iv := re.opts.WriteInterval
	if iv <= 0 {
		return true
	}
	burst := max(re.opts.WriteBurst, 1)
	key := strings.ToLower(login)
	tat := re.tat[key]
	if now.Before(tat.Add(-time.Duration(burst-1) * iv)) {
		return false
	}
	if tat.Before(now) {
		tat = now
	}
	re.tat[key] = tat.Add(iv)
	return true
}

// hidden reports whether is was created less than Lag ago (and forgets it once it was not).
func (re *realism) hidden(is *issue, now time.Time) bool {
	at, ok := re.created[is]
	if !ok {
		return false
	}
	if now.Sub(at) < re.opts.Lag {
		return true
	}
	delete(re.created, is)
	return false
}

func (re *realism) labelChanged(is *issue, before []*label, at time.Time) {
	tr := re.labels[is]
	if tr == nil {
		tr = &labelTrail{base: before}
		re.labels[is] = tr
	}
	tr.changes = append(tr.changes, labelChange{at: at, labels: append([]*label(nil), is.Labels...)})
}

// listed is how an issue listing sees is at the server's present: nil while is is in its lag
// window after creation; a copy with its labels of Lag ago while a label change is younger than
// Lag; else is itself. Callers hold s.mu.
func (s *server) listed(is *issue) *issue {
	re := s.real
	if re == nil || re.opts.Lag <= 0 {
		return is
	}
	now := re.now()
	if re.hidden(is, now) {
		return nil
	}
	tr := re.labels[is]
	if tr == nil {
		return is
	}
	// Fold the changes older than Lag into the base; the base is what a listing sees.
	i := 0
	for i < len(tr.changes) && now.Sub(tr.changes[i].at) >= re.opts.Lag {
		tr.base = tr.changes[i].labels
		i++
	}
	tr.changes = tr.changes[i:]
	if len(tr.changes) == 0 {
		delete(re.labels, is)
		return is
	}
	view := *is
	view.Labels = tr.base
	return &view
}

// dropsBody reports whether a PATCH setting this issue body is silently not stored
// (SilentBodyBytes).
func (s *server) dropsBody(body string) bool {
	re := s.real
	return re != nil && re.opts.SilentBodyBytes > 0 && len(body) > re.opts.SilentBodyBytes &&
		utf8.RuneCountInString(body) <= maxBodyChars
}

// etagScope is what an ETag is computed for: the user, and with PerTokenETags the token too.
func (s *server) etagScope(r *http.Request, login string) string {
	if s.real == nil || !s.real.opts.PerTokenETags {
		return login
	}
	tok, _ := bearer(r)
	return login + "\x00" + tokenKey(tok)
}

func sameLabelSet(a, b []*label) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[*label]bool{}
	for _, l := range a {
		seen[l] = true
	}
	for _, l := range b {
		if !seen[l] {
			return false
		}
	}
	return true
}
