package driver

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ghstore/ghstore/internal/localgh"
)

// TestRedirectToAnotherHostCarriesNoToken: base_url is a loopback server that answers every
// request with a redirect to another port under another name (localhost for 127.0.0.1), where a
// working localgh listens. Whatever the redirect code, statements fail with an error that names
// the redirect as refused, and the other server never sees the token (nor any request).
func TestRedirectToAnotherHostCarriesNoToken(t *testing.T) {
	const token = "ghp_REDIRECTsecret0123456789"
	srv, err := localgh.Open(localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.AddUser("acme", token); err != nil {
		t.Fatal(err)
	}
	if err := srv.CreateRepo("acme", "data", false); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var reached []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reached = append(reached, r.Method+" "+r.URL.Path+" Authorization="+r.Header.Get("Authorization"))
		mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(other.Close)
	target := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)

	for _, code := range []int{301, 302, 307, 308} {
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target+r.URL.RequestURI(), code)
		}))
		t.Cleanup(redirector.Close)
		db, _ := openDSN(t, "acme/data?base_url="+redirector.URL+"&token="+token+"&max_retries=0&writes_per_minute=0&writes_per_hour=0&write_interval=0&read_lag=0")
		for _, q := range []string{
			`INSERT INTO objects (id, data) VALUES ('r', '{}')`,
			`SELECT id FROM objects`,
			`UPDATE objects SET n = 1 WHERE id = 'r'`,
		} {
			_, err := db.ExecContext(t.Context(), q)
			if err == nil {
				t.Fatalf("%d: %s succeeded through a redirect to another host", code, q)
			}
			if !strings.Contains(err.Error(), "refusing to follow a redirect") {
				t.Errorf("%d: %s: %v, want the redirect named as refused", code, q, err)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("%d: the error shows the token: %v", code, err)
			}
			if errors.Is(err, ErrBadDSN) {
				t.Errorf("%d: a refused redirect reads as a bad DSN: %v", code, err)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, r := range reached {
		if strings.Contains(r, token) {
			t.Errorf("the token followed a redirect to another host: %s", r)
		}
	}
	if len(reached) > 0 {
		t.Errorf("redirects to another host were followed: %q", reached)
	}
}
