package reliability

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRedirectsNeverCarryTheToken: a loopback server that redirects every request (301, 302,
// 307, 308) to another port and host name (localhost instead of 127.0.0.1) never sees the token
// arrive there.
//
// It found a token leak: ghstore's auth layer is a RoundTripper under go-github's http.Client,
// so when net/http followed a redirect to another host the auth layer added "Authorization:
// Bearer <token>" to the new request again (net/http strips sensitive headers across hosts only
// when they were set on the request, not when a RoundTripper adds them), and every request of
// the statements arrived at the other host with the token. Now the transport adds the token only
// for base_url's host (Options.TokenHosts), and the driver's client refuses redirects to another
// host (transport.SameHostRedirects).
func TestRedirectsNeverCarryTheToken(t *testing.T) {
	w := newSQLWorld(t)
	var mu sync.Mutex
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if a := r.Header.Get("Authorization"); a != "" {
			leaked = append(leaked, r.Method+" "+r.URL.Path+": "+a)
		}
		mu.Unlock()
		w.srv.ServeHTTP(rw, r) // answer as GitHub would, so the client goes on
	}))
	defer other.Close()
	target := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	for _, code := range []int{301, 302, 307, 308} {
		redirector := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			http.Redirect(rw, r, target+r.URL.RequestURI(), code)
		}))
		sw := &sqlWorld{world: w.world, baseURL: redirector.URL + "/"}
		db := sw.open(secretToken, "")
		ctx, cancel := context.WithTimeout(w.ctx, 10*time.Second)
		_, _ = db.ExecContext(ctx, `INSERT INTO objects (id, data) VALUES ('r', '{}')`)
		rows, err := db.QueryContext(ctx, `SELECT id FROM objects`)
		if err == nil {
			rows.Close()
		}
		cancel()
		redirector.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	for _, l := range leaked {
		if strings.Contains(l, secretMarker) {
			t.Errorf("the token followed a redirect to another host: %s", l)
		}
	}
}
