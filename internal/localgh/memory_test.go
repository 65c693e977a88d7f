package localgh

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// heapAfterGC is the live heap.
func heapAfterGC() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// serveMix sends n requests of the kinds a busy or hostile client sends — rate limit checks,
// listings, reads, 404s with long URLs, refused writes with new tokens each time — through
// ServeHTTP, as `ghsql serve` does (RequestLog off).
func serveMix(t testing.TB, srv *Server, from, n int) {
	long := strings.Repeat("x", 4096)
	for i := from; i < from+n; i++ {
		var req *http.Request
		switch i % 5 {
		case 0:
			req = httptest.NewRequest("GET", "/rate_limit", nil)
		case 1:
			req = httptest.NewRequest("GET", "/repos/acme/data/issues?per_page=5", nil)
		case 2:
			req = httptest.NewRequest("GET", "/repos/acme/data/issues/1", nil)
		case 3:
			req = httptest.NewRequest("GET", fmt.Sprintf("/repos/acme/nothing-%d/%s", i, long), nil)
		case 4:
			req = httptest.NewRequest("POST", "/repos/acme/data/issues", strings.NewReader(`{"title":""}`))
		}
		req.Header.Set("Authorization", fmt.Sprintf("token t-%d", i))
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code >= 500 || w.Code == 0 {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
}

func memoryServer(t testing.TB) *Server {
	srv, err := Open(Options{AnyTokenAs: "acme", RequestLog: -1, RateLimit: -1, Now: newFakeClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.CreateRepo("acme", "data", false); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		req := httptest.NewRequest("POST", "/repos/acme/data/issues", strings.NewReader(`{"title":"t"}`))
		req.Header.Set("Authorization", "token seed")
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	return srv
}

// TestHeapFlatOverServedRequests: serving requests keeps nothing per request: after a warm-up,
// 10,000 more (100,000 with -long) leave the live heap where it was, within 1 MiB.
func TestHeapFlatOverServedRequests(t *testing.T) {
	srv := memoryServer(t)
	defer srv.Close()
	n := 10_000
	if *longFlag {
		n = 100_000
	}
	serveMix(t, srv, 0, 5_000)
	before := heapAfterGC()
	serveMix(t, srv, 5_000, n)
	after := heapAfterGC()
	growth := int64(after) - int64(before)
	t.Logf("live heap %d KiB before %d requests, %d KiB after (%+d bytes, %.1f bytes/request)", before>>10, n, after>>10, growth, float64(growth)/float64(n))
	if growth > 1<<20 {
		t.Fatalf("the heap grew by %d bytes over %d requests: something is kept per request", growth, n)
	}
}

// TestRequestLogBoundsTheHeap: with the default request log the heap stops growing once the
// log is full.
func TestRequestLogBoundsTheHeap(t *testing.T) {
	srv, err := Open(Options{AnyTokenAs: "acme", RateLimit: -1, RequestLog: 1000})
	must(t, err)
	defer srv.Close()
	must(t, srv.CreateRepo("acme", "data", false))
	serveMix(t, srv, 0, 5_000)
	before := heapAfterGC()
	serveMix(t, srv, 5_000, 10_000)
	if growth := int64(heapAfterGC()) - int64(before); growth > 1<<20 {
		t.Fatalf("the heap grew by %d bytes with a full request log of 1,000", growth)
	}
}

// BenchmarkServedRequestsHeap reports the live heap's growth per served request (0 when
// nothing is kept), over b.N requests after a warm-up; run with -benchtime=100000x.
func BenchmarkServedRequestsHeap(b *testing.B) {
	srv := memoryServer(b)
	defer srv.Close()
	serveMix(b, srv, 0, 5_000)
	before := heapAfterGC()
	b.ResetTimer()
	serveMix(b, srv, 5_000, b.N)
	b.StopTimer()
	after := heapAfterGC()
	b.ReportMetric(float64(int64(after)-int64(before))/float64(b.N), "heap-B/req")
	b.ReportMetric(float64(after)/(1<<20), "heap-MiB")
}
