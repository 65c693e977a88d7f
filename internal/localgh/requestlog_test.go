package localgh

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestRequestLogIsBounded: the log keeps the latest Options.RequestLog requests (oldest first,
// with their answers), none when negative, and cuts long URLs.
func TestRequestLogIsBounded(t *testing.T) {
	for _, tc := range []struct {
		size, sent, want int
	}{{5, 3, 3}, {5, 12, 5}, {-1, 12, 0}} {
		srv, err := Open(Options{RequestLog: tc.size})
		must(t, err)
		for i := 1; i <= tc.sent; i++ {
			req, _ := http.NewRequest("GET", fmt.Sprintf("https://api.github.com/repos/acme/nothing-%d", i), nil)
			_, err := srv.Transport().RoundTrip(req)
			must(t, err)
		}
		log := srv.Requests()
		if len(log) != tc.want {
			t.Fatalf("log of %d after %d requests: %d entries, want %d", tc.size, tc.sent, len(log), tc.want)
		}
		for i, r := range log {
			if wantSeq := tc.sent - tc.want + 1 + i; r.Seq != wantSeq || r.Status != http.StatusNotFound ||
				r.Path != fmt.Sprintf("/repos/acme/nothing-%d", wantSeq) {
				t.Fatalf("entry %d: %+v, want request %d answered 404", i, r, wantSeq)
			}
		}
		srv.ResetRequests()
		if n := len(srv.Requests()); n != 0 {
			t.Fatalf("%d entries after a reset", n)
		}
		must(t, srv.Close())
	}

	srv, err := Open(Options{})
	must(t, err)
	defer srv.Close()
	long := strings.Repeat("x", 100_000)
	req, _ := http.NewRequest("GET", "https://api.github.com/"+long+"?q="+long, nil)
	_, err = srv.Transport().RoundTrip(req)
	must(t, err)
	r := srv.Requests()[0]
	if len(r.Path) > maxLoggedURL+4 || len(r.Query) > maxLoggedURL+4 {
		t.Fatalf("a 100 kB URL is logged as %d + %d bytes", len(r.Path), len(r.Query))
	}
}
