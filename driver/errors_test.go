package driver

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/ghstore/ghstore/internal/localgh"
	"github.com/ghstore/ghstore/store"
)

// TestOneErrorVocabulary: what GitHub says of the repository or the token has one set of
// sentinels, the store's, which the driver's names are: a statement (whose error the store
// wraps) and a Ping (whose error the driver wraps) both answer errors.Is for the driver's name
// and the store's alike.
func TestOneErrorVocabulary(t *testing.T) {
	srv, err := localgh.Open(localgh.Options{RateLimit: -1, WritesPerMinute: -1, WritesPerHour: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(srv.AddUser("acme", "tok-acme"))
	must(srv.CreateRepo("acme", "ok", false))
	must(srv.CreateRepo("acme", "noissues", false))
	must(srv.SetIssuesEnabled("acme", "noissues", false))
	hs := httptest.NewServer(srv)
	defer hs.Close()

	for _, tt := range []struct {
		dsn          string
		driver, sent error
	}{
		{"acme/missing?token=tok-acme", ErrRepoNotFound, store.ErrRepoNotFound},
		{"acme/ok?token=wrong-secret", ErrBadCredentials, store.ErrBadCredentials},
		{"acme/noissues?token=tok-acme", ErrIssuesDisabled, store.ErrIssuesDisabled},
	} {
		db, _ := openDSN(t, tt.dsn+"&base_url="+hs.URL)
		var n int
		statement := db.QueryRow(`SELECT COUNT(*) FROM objects`).Scan(&n)
		for what, err := range map[string]error{"statement": statement, "Ping": db.Ping()} {
			if !errors.Is(err, tt.driver) || !errors.Is(err, tt.sent) {
				t.Errorf("%s: %s = %v, want errors.Is for driver's %q and store's %q", tt.dsn, what, err, tt.driver, tt.sent)
			}
		}
	}
}
