package benchmarks

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
)

// replay is an http.Handler that answers each GET from a recording: the first time a request
// URI is asked, it goes to next and its answer is kept; from then on the kept answer is written
// back as it was. A scan over a replay measures the client's work alone, none of localgh's
// (matching, sorting and rendering issues).
type replay struct {
	next http.Handler

	mu      sync.Mutex
	answers map[string]*httptest.ResponseRecorder
}

func (p *replay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.RequestURI()
	p.mu.Lock()
	rec := p.answers[key]
	p.mu.Unlock()
	if rec == nil || r.Method != http.MethodGet {
		rec = httptest.NewRecorder()
		p.next.ServeHTTP(rec, r)
		if r.Method == http.MethodGet {
			p.mu.Lock()
			p.answers[key] = rec
			p.mu.Unlock()
		}
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// BenchmarkScanClientCPU2000 is the client's own cost of scanning 2,000 objects through
// database/sql (go-github, the transport, the store, the SQL evaluation), without latency and
// with localgh's answers replayed from memory (replay), so that the server's work is left out:
// ns/object is wall time per scanned object on an otherwise idle machine (the client is most of
// what runs), B/object the bytes allocated per object, the replay's few included.
func BenchmarkScanClientCPU2000(b *testing.B) {
	const m = 2_000
	e := newEnv(b, serverOptions(), "cache=none")
	e.seed(0, m)
	e.flight.setNext(&replay{next: e.srv, answers: map[string]*httptest.ResponseRecorder{}})
	if n := rowsOf(b, e.db, sqlScan); n == 0 { // records the pages
		b.Fatal("the scan found nothing")
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	iters := 0
	for b.Loop() {
		rowsOf(b, e.db, sqlScan)
		iters++
	}
	runtime.ReadMemStats(&after)
	objects := float64(iters * m)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/objects, "ns/object")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/objects, "B/object")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/objects, "allocs/object")
}
