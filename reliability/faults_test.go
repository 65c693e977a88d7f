package reliability

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/ghstore/ghstore/internal/localgh"
)

// faultKind is one kind of failure the issue lists, as localgh injects it.
type faultKind struct {
	name  string
	fault localgh.Fault
}

// Transient faults: the stack is expected to ride them out (retry, check-then-resend, or wait on
// the fake clock), or to fail with a typed error when it cannot know.
var (
	fault502       = faultKind{"502", localgh.Fault{Status: 502}}
	fault503       = faultKind{"503", localgh.Fault{Status: 503}}
	fault504       = faultKind{"504", localgh.Fault{Status: 504}}
	faultReset     = faultKind{"reset", localgh.Fault{Reset: true}}
	faultDrop      = faultKind{"drop-answer", localgh.Fault{DropAnswer: true}}
	faultSecondary = faultKind{"403-secondary", localgh.Fault{Status: 403, RetryAfter: 30}}
	fault429       = faultKind{"429-retry-after", localgh.Fault{Status: 429, RetryAfter: 7}}
	faultPrimary   = faultKind{"403-primary-spent", localgh.Fault{Status: 403, RateLimited: true}}
	faultHang      = faultKind{"hang", localgh.Fault{Hang: true}}
)

// Refusals: the statement must fail with the matching typed error.
var (
	fault401 = faultKind{"401", localgh.Fault{Status: 401}}
	fault404 = faultKind{"404", localgh.Fault{Status: 404}}
	fault410 = faultKind{"410", localgh.Fault{Status: 410}}
	fault422 = faultKind{"422", localgh.Fault{Status: 422}}
)

// allFaults is every kind, Hang last (it is the only one that waits for a real deadline).
var allFaults = []faultKind{fault502, fault503, fault504, faultReset, faultDrop, faultSecondary,
	fault429, faultPrimary, fault401, fault404, fault410, fault422, faultHang}

// injected is one fault the injector applied, for failure reports.
type injected struct {
	Seq          int
	Method, Path string
	Kind         string
}

func (i injected) String() string {
	return fmt.Sprintf("#%d %s %s: %s", i.Seq, i.Method, i.Path, i.Kind)
}

// injector decides, request by request, whether to inject a fault. It only ever touches requests
// of the logins it targets, so the oracle's reads (as auditor) are never faulted. It is safe for
// concurrent use.
type injector struct {
	mu      sync.Mutex
	targets map[string]bool // logins whose requests may be faulted; empty: everyone but auditor
	rule    *rule           // a one-shot (or n-shot) rule, or nil
	random  *randomFaults   // seeded random faults, or nil
	log     []injected
}

// rule injects kind into the skip+1-th .. skip+times-th requests matching method and path.
type rule struct {
	method string // "" any
	path   string // substring of the path; "" any
	skip   int
	times  int // 0 means 1; negative means every one after skip
	kind   faultKind
	seen   int
}

// randomFaults injects one of kinds into a request with probability rate, from a seeded source.
type randomFaults struct {
	rng   *rand.Rand
	rate  float64
	kinds []faultKind
}

func newInjector() *injector { return &injector{targets: map[string]bool{}} }

// target limits faults to the given logins.
func (in *injector) target(logins ...string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, l := range logins {
		in.targets[strings.ToLower(l)] = true
	}
}

// once injects kind into the (skip+1)-th request matching method and path.
func (in *injector) once(method, path string, skip int, kind faultKind) {
	in.set(&rule{method: method, path: path, skip: skip, times: 1, kind: kind})
}

// always injects kind into every request matching method and path.
func (in *injector) always(method, path string, kind faultKind) {
	in.set(&rule{method: method, path: path, times: -1, kind: kind})
}

func (in *injector) set(r *rule) {
	in.mu.Lock()
	in.rule = r
	in.mu.Unlock()
}

// randomly injects one of kinds into each request with probability rate, drawn from seed.
func (in *injector) randomly(seed uint64, rate float64, kinds []faultKind) {
	in.mu.Lock()
	in.random = &randomFaults{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), rate: rate, kinds: kinds}
	in.mu.Unlock()
}

// off removes every rule (the random source is kept, paused).
func (in *injector) off() {
	in.mu.Lock()
	in.rule = nil
	if in.random != nil {
		in.random.rate = 0
	}
	in.mu.Unlock()
}

// injectedLog returns the faults applied so far.
func (in *injector) injectedLog() []injected {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]injected(nil), in.log...)
}

// count is how many faults were applied.
func (in *injector) count() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.log)
}

func (in *injector) hook(c localgh.Call) localgh.Fault {
	in.mu.Lock()
	defer in.mu.Unlock()
	login := strings.ToLower(c.Login)
	if login == "auditor" || (len(in.targets) > 0 && !in.targets[login]) {
		return localgh.Fault{}
	}
	if r := in.rule; r != nil && (r.method == "" || r.method == c.Method) && strings.Contains(c.Path, r.path) {
		r.seen++
		if r.seen > r.skip && (r.times < 0 || r.seen <= r.skip+max(r.times, 1)) {
			in.log = append(in.log, injected{c.Seq, c.Method, c.Path, r.kind.name})
			return r.kind.fault
		}
	}
	if rf := in.random; rf != nil && rf.rate > 0 && rf.rng.Float64() < rf.rate {
		k := rf.kinds[rf.rng.IntN(len(rf.kinds))]
		in.log = append(in.log, injected{c.Seq, c.Method, c.Path, k.name})
		return k.fault
	}
	return localgh.Fault{}
}
