package localgh

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestTokenHashIsSalted: the journal keeps neither a token nor its bare SHA-256 (which a table
// of likely tokens would reverse), and the same token gets a different hash each time it is
// kept; the token still authenticates after reopening.
func TestTokenHashIsSalted(t *testing.T) {
	const token = "ghp_the-same-token"
	var journals [][]byte
	for range 2 {
		dir := t.TempDir()
		srv, err := Open(unlimited(dir, newFakeClock()))
		must(t, err)
		must(t, srv.AddUser("acme", token))
		must(t, srv.Close())
		b, err := os.ReadFile(filepath.Join(dir, journalName))
		must(t, err)
		for _, leak := range []string{token, tokenKey(token)} {
			if bytes.Contains(b, []byte(leak)) {
				t.Fatalf("the journal holds %q", leak)
			}
		}
		journals = append(journals, b)

		srv, err = Open(unlimited(dir, newFakeClock()))
		must(t, err)
		u, _, err := clientFor(srv, token).Users.Get(ctx, "")
		must(t, err)
		if u.GetLogin() != "acme" {
			t.Fatalf("the token is %q's after reopening", u.GetLogin())
		}
		if _, _, err := clientFor(srv, token+"x").Users.Get(ctx, ""); err == nil {
			t.Fatal("another token authenticates")
		}
		must(t, srv.Close())
	}
	if bytes.Equal(journals[0], journals[1]) {
		t.Fatal("the same token is kept with the same hash twice: no salt")
	}
}
