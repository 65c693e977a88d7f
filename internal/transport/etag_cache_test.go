package transport

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"
)

// etagServer answers GETs with an ETag that differs per token, Accept and version of the path,
// and 304 when If-None-Match matches; any write to a path makes a new version.
type etagServer struct {
	mu       sync.Mutex
	versions map[string]int
}

func (s *etagServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.versions == nil {
		s.versions = map[string]int{}
	}
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", "4999")
	w.Header().Set("X-RateLimit-Reset", "1735787045")
	if r.Method != http.MethodGet {
		s.versions[r.URL.Path]++
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"written":%d}`, s.versions[r.URL.Path])
		return
	}
	v := s.versions[r.URL.Path]
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(fmt.Sprint(r.Header.Get("Authorization"), r.Header.Get("Accept"), r.URL.Path, v))))
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	fmt.Fprintf(w, `{"path":%q,"version":%d,"who":%q}`, r.URL.Path, v, r.Header.Get("Authorization"))
}

func tokenSource(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
}

func TestETagRevalidatesAndAnswers304FromCache(t *testing.T) {
	b := &handlerBase{h: &etagServer{}}
	tr := New(Options{Base: b, Token: tokenSource("t1"), Clock: fakeClock()})
	ctx := context.Background()
	const url = "https://api.github.invalid/repos/o/r/issues/1"

	resp1, body1, err := get(t, tr, ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if resp1.StatusCode != 200 || resp1.Header.Get(CacheHeader) != "" {
		t.Fatalf("first GET: %d %v", resp1.StatusCode, resp1.Header)
	}
	for i := range 3 {
		resp, body, err := get(t, tr, ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || body != body1 {
			t.Fatalf("GET %d: %d %q, want the cached 200 %q", i+2, resp.StatusCode, body, body1)
		}
		if resp.Header.Get(CacheHeader) != "revalidated" || resp.ContentLength != int64(len(body1)) {
			t.Fatalf("GET %d: headers %v, length %d", i+2, resp.Header, resp.ContentLength)
		}
	}
	reqs := b.requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests reached the server, want 4 (always revalidate)", len(reqs))
	}
	if reqs[0].Header.Get("If-None-Match") != "" {
		t.Fatalf("cold GET was conditional")
	}
	for _, r := range reqs[1:] {
		if r.Header.Get("If-None-Match") != resp1.Header.Get("ETag") {
			t.Fatalf("If-None-Match = %q, want %q", r.Header.Get("If-None-Match"), resp1.Header.Get("ETag"))
		}
	}
	s := tr.Stats()
	if s.Requests != 4 || s.NotModified != 3 || s.Counted() != 1 || s.ContentCreating != 0 {
		t.Fatalf("stats = %+v", s)
	}
	if s.Limit != 5000 || s.Remaining != 4999 || s.Reset.Unix() != 1735787045 {
		t.Fatalf("rate-limit stats = %d %d %v", s.Limit, s.Remaining, s.Reset)
	}
}

func TestETagCachedBodyIsAFreshReaderEachTime(t *testing.T) {
	b := &handlerBase{h: &etagServer{}}
	tr := New(Options{Base: b, Clock: fakeClock()})
	const url = "https://api.github.invalid/repos/o/r/issues/1"
	_, want, _ := get(t, tr, context.Background(), url)
	var resps []*http.Response
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resps = append(resps, resp)
	}
	for i, resp := range resps {
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(got) != want {
			t.Fatalf("response %d read %q, want %q", i, got, want)
		}
	}
}

func TestETagSeesWritesAtOnce(t *testing.T) {
	b := &handlerBase{h: &etagServer{}}
	tr := New(Options{Base: b, Token: tokenSource("t1"), Clock: fakeClock()})
	ctx := context.Background()
	const url = "https://api.github.invalid/repos/o/r/issues/1"
	_, before, _ := get(t, tr, ctx, url)
	if _, _, err := do(t, tr, ctx, http.MethodPatch, url, `{"body":"x"}`); err != nil {
		t.Fatal(err)
	}
	_, after, _ := get(t, tr, ctx, url)
	if before == after || !strings.Contains(after, `"version":1`) {
		t.Fatalf("read after write gave %q (before: %q), want the new version", after, before)
	}
	// The write was neither cached nor made conditional.
	for _, r := range b.requests() {
		if r.Method == http.MethodPatch && r.Header.Get("If-None-Match") != "" {
			t.Fatal("a write was sent with If-None-Match")
		}
	}
}

func TestETagIdentitiesDoNotShareEntries(t *testing.T) {
	b := &handlerBase{h: &etagServer{}}
	base := b
	ctx := context.Background()
	const url = "https://api.github.invalid/repos/o/r/issues/1"
	// One cache, two identities: the caller's own Authorization header (no token source).
	tr := New(Options{Base: base, Clock: fakeClock()})
	_, bodyA, _ := get(t, tr, ctx, url, "Authorization", "Bearer alice")
	_, bodyB, _ := get(t, tr, ctx, url, "Authorization", "Bearer bob")
	if bodyA == bodyB || !strings.Contains(bodyB, "bob") {
		t.Fatalf("bob read %q, alice %q: an identity was served another's entry", bodyB, bodyA)
	}
	reqs := b.requests()
	if reqs[1].Header.Get("If-None-Match") != "" {
		t.Fatal("bob's first GET was sent with alice's ETag")
	}
	// Each identity revalidates its own entry.
	respA, againA, _ := get(t, tr, ctx, url, "Authorization", "Bearer alice")
	if againA != bodyA || respA.Header.Get(CacheHeader) != "revalidated" {
		t.Fatalf("alice's second read %q (cache %q)", againA, respA.Header.Get(CacheHeader))
	}
	// A different Accept is a different entry too.
	_, _, _ = get(t, tr, ctx, url, "Authorization", "Bearer alice", "Accept", "application/vnd.github.raw+json")
	if r := b.requests()[3]; r.Header.Get("If-None-Match") != "" {
		t.Fatal("a GET with another Accept was sent with the ETag of the default Accept")
	}
}

func TestETagKeyHoldsNoToken(t *testing.T) {
	c := &etagCache{entries: newResponseCache(1 << 20), maxBytes: 1 << 20, identity: identityOf(tokenSource(secretToken), tokenPolicy{})}
	req, _ := http.NewRequest(http.MethodGet, "https://api.github.invalid/x", nil)
	who, err := c.identity(req)
	if err != nil {
		t.Fatal(err)
	}
	key := cacheKey(req, who)
	if strings.Contains(key, secretToken) || strings.Contains(key, "SECRET") {
		t.Fatalf("cache key %q holds the token", key)
	}
	other, _ := identityOf(tokenSource("another"), tokenPolicy{})(req)
	if other == who {
		t.Fatal("two tokens have one identity")
	}
}

func TestETagOnlyCaches200WithETag(t *testing.T) {
	status, etag := 200, ""
	b := &handlerBase{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		w.WriteHeader(status)
		w.Write([]byte("x"))
	})}
	tr := New(Options{Base: b, Clock: fakeClock(), MaxRetries: -1})
	ctx := context.Background()
	const url = "https://api.github.invalid/x"
	get(t, tr, ctx, url) // 200 without ETag
	status, etag = 404, `"e"`
	get(t, tr, ctx, url) // 404 with ETag
	status = 200
	get(t, tr, ctx, url) // now cached
	get(t, tr, ctx, url)
	var conditional []bool
	for _, r := range b.requests() {
		conditional = append(conditional, r.Header.Get("If-None-Match") != "")
	}
	if fmt.Sprint(conditional) != "[false false false true]" {
		t.Fatalf("conditional requests: %v", conditional)
	}
}

func TestNoCacheSendsNoConditionalRequests(t *testing.T) {
	b := &handlerBase{h: &etagServer{}}
	tr := New(Options{Base: b, Clock: fakeClock(), NoCache: true})
	for range 3 {
		get(t, tr, context.Background(), "https://api.github.invalid/x")
	}
	for _, r := range b.requests() {
		if r.Header.Get("If-None-Match") != "" {
			t.Fatal("NoCache sent If-None-Match")
		}
	}
}

func TestCallersOwnConditionalRequestGets304(t *testing.T) {
	b := &handlerBase{h: &etagServer{}}
	tr := New(Options{Base: b, Clock: fakeClock()})
	const url = "https://api.github.invalid/x"
	resp, _, _ := get(t, tr, context.Background(), url)
	resp2, _, _ := get(t, tr, context.Background(), url, "If-None-Match", resp.Header.Get("ETag"))
	if resp2.StatusCode != http.StatusNotModified {
		t.Fatalf("status %d, want the caller's own 304", resp2.StatusCode)
	}
}

func TestETagCacheIsBounded(t *testing.T) {
	b := &handlerBase{h: &etagServer{}}
	const bound = 64 << 10
	tr := New(Options{Base: b, Clock: fakeClock(), CacheBytes: bound})
	for i := range 10000 {
		get(t, tr, context.Background(), fmt.Sprintf("https://api.github.invalid/repos/o/r/issues/%d", i))
	}
	entries, bytes := tr.impl.outer.(*etagCache).entries.Stats()
	if bytes > bound || entries == 0 || entries >= 10000 {
		t.Fatalf("cache holds %d entries, %d bytes; bound %d", entries, bytes, bound)
	}
	// The most recent is still there, the first is gone.
	get(t, tr, context.Background(), "https://api.github.invalid/repos/o/r/issues/9999")
	get(t, tr, context.Background(), "https://api.github.invalid/repos/o/r/issues/0")
	reqs := b.requests()
	if reqs[len(reqs)-2].Header.Get("If-None-Match") == "" || reqs[len(reqs)-1].Header.Get("If-None-Match") != "" {
		t.Fatal("LRU kept the oldest entry or dropped the newest")
	}
}

func TestETagTooLargeBodyPassesThrough(t *testing.T) {
	big := strings.Repeat("x", 10000)
	b := &handlerBase{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"big"`)
		w.Write([]byte(big))
	})}
	tr := New(Options{Base: b, Clock: fakeClock(), CacheBytes: 4096})
	for range 2 {
		_, body, err := get(t, tr, context.Background(), "https://api.github.invalid/big")
		if err != nil || body != big {
			t.Fatalf("body of %d bytes, err %v", len(body), err)
		}
	}
	if b.requests()[1].Header.Get("If-None-Match") != "" {
		t.Fatal("an over-large body was cached")
	}
}

func TestRevalidatedAnswerTakesThe304sRateLimitHeaders(t *testing.T) {
	n := 0
	b := &handlerBase{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Header().Set("ETag", `"e"`)
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Reset", "1735787045")
		if n == 1 {
			w.Header().Set("X-RateLimit-Remaining", "1")
			w.Write([]byte("body"))
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.WriteHeader(http.StatusNotModified)
	})}
	tr := New(Options{Base: b, Clock: fakeClock()})
	get(t, tr, context.Background(), "https://api.github.invalid/x")
	resp, body, _ := get(t, tr, context.Background(), "https://api.github.invalid/x")
	if body != "body" || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("got %q with %v", body, resp.Header)
	}
	if resp.Header.Get("X-RateLimit-Reset") != "" || resp.Header.Get(SpentResetHeader) != "1735787045" {
		t.Fatalf("a spent budget's reset reached the client: %v", resp.Header)
	}
}
