package localgh

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// countingBody is a request body that counts what the server read of it.
type countingBody struct {
	r    io.Reader
	read int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

func (b *countingBody) Close() error { return nil }

// TestBodiesAreBoundedAndReadOnlyForTheAuthorised: a request with a bad token, or an
// anonymous write, is refused without its body being read; a body past maxRequestBody is 413,
// read no further than the bound (or not at all when its Content-Length says so).
func TestBodiesAreBoundedAndReadOnlyForTheAuthorised(t *testing.T) {
	f := newFixture(t, "inprocess", Options{})
	huge := int64(100 << 20)
	for _, tc := range []struct {
		name          string
		token         string
		contentLength int64
		want          int
		maxRead       int64
	}{
		{"bad token", "nope", huge, http.StatusUnauthorized, 0},
		{"anonymous write", "", huge, http.StatusUnauthorized, 0},
		{"too long, announced", tokAcme, huge, http.StatusRequestEntityTooLarge, 0},
		{"too long, chunked", tokAcme, -1, http.StatusRequestEntityTooLarge, maxRequestBody + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &countingBody{r: io.LimitReader(zeros{}, huge)}
			req, _ := http.NewRequest("POST", "https://api.github.com/repos/acme/data/issues", body)
			req.ContentLength = tc.contentLength
			if tc.token != "" {
				req.Header.Set("Authorization", "token "+tc.token)
			}
			resp, err := f.srv.Transport().RoundTrip(req)
			must(t, err)
			if resp.StatusCode != tc.want || body.read > tc.maxRead {
				t.Fatalf("status %d (want %d), %d bytes of the body read (at most %d)", resp.StatusCode, tc.want, body.read, tc.maxRead)
			}
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestWriteBudgetPerToken: tokens that act as one login (AnyTokenAs, as `ghsql serve` without
// -token) each have their own secondary write budget.
func TestWriteBudgetPerToken(t *testing.T) {
	srv, err := Open(Options{AnyTokenAs: "acme", WritesPerMinute: 2, Now: newFakeClock().Now})
	must(t, err)
	defer srv.Close()
	must(t, srv.CreateRepo("acme", "data", false))
	post := func(token string) int {
		req, _ := http.NewRequest("POST", "https://api.github.com/repos/acme/data/issues", strings.NewReader(`{"title":"t"}`))
		req.Header.Set("Authorization", "token "+token)
		resp, err := srv.Transport().RoundTrip(req)
		must(t, err)
		return resp.StatusCode
	}
	for i, want := range []int{201, 201, 403} {
		if got := post("token-a"); got != want {
			t.Fatalf("token a's write %d: %d, want %d", i+1, got, want)
		}
	}
	if got := post("token-b"); got != 201 {
		t.Fatalf("another token's first write: %d: the budget is shared", got)
	}
}
