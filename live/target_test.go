package live

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/ghstore/ghstore/driver"
	"github.com/ghstore/ghstore/internal/localgh"
)

var (
	repoFlag     = flag.String("repo", "", "owner/repo to run the live suite on (token from GITHUB_TOKEN); empty: an in-process localgh")
	baseURLFlag  = flag.String("base-url", "", "REST API root of GitHub Enterprise Server, e.g. https://ghe.example.com/api/v3 (default: api.github.com)")
	cassetteFlag = flag.String("cassette", "", "cassette to record a live run into, under testdata/ without .yaml (default: <host>-<date>)")
	settleFlag   = flag.Duration("settle", 3*time.Second, "with -repo: how long to let GitHub's replicas catch up before a step whose figures are checked")
)

// The local run: acme/live on a localgh with GitHub's lags and limits on, scaled down so the
// suite stays quick (GitHub's own figures are localgh.RealisticGitHub).
const (
	localOwner = "acme"
	localRepo  = "live"
	localToken = "live-suite-token"
)

func localRealism() localgh.Realism {
	return localgh.Realism{
		Lag:                 50 * time.Millisecond,
		PerTokenETags:       true,
		WriteInterval:       time.Millisecond,
		WriteBurst:          3,
		MaxConcurrent:       100,
		SecondaryRetryAfter: 1,
		SilentBodyBytes:     65536,
	}
}

// target is where a run goes: the loopback proxy the driver talks to, what it counts, and how
// to reach the server behind it.
type target struct {
	t        *testing.T
	live     bool
	owner    string
	repo     string
	token    string // never printed
	proxy    *httptest.Server
	counts   *counter
	settle   time.Duration
	cassette string // the cassette file this run records into
	local    *localgh.Server
	params   []string // DSN parameters besides base_url and token
}

// newTarget sets up a run: with -repo, the named repository behind a recording proxy to GitHub
// (skipped without GITHUB_TOKEN); without, acme/live on an in-process localgh served over
// loopback, behind the same proxy, recording into a temporary cassette.
func newTarget(t *testing.T) *target { t.Helper(); return newTargetRecording(t, "") }

// newTargetRecording is newTarget; a local run records into cassette (a path without .yaml)
// when it is not "".
func newTargetRecording(t *testing.T, cassette string) *target {
	t.Helper()
	tg := &target{t: t, counts: &counter{}}
	upstream := ""
	if *repoFlag != "" {
		owner, repo, ok := strings.Cut(*repoFlag, "/")
		if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
			t.Fatalf("-repo %q: want owner/repo", *repoFlag)
		}
		tg.token = os.Getenv("GITHUB_TOKEN")
		if tg.token == "" {
			t.Skip("the live suite on -repo needs a token in GITHUB_TOKEN (a fine-grained token with Issues read and write on that repository); none is set, so it did not run")
		}
		tg.live, tg.owner, tg.repo, tg.settle = true, owner, repo, *settleFlag
		upstream = strings.TrimSuffix(firstNonEmpty(*baseURLFlag, "https://api.github.com"), "/")
		u, err := url.Parse(upstream)
		if err != nil || u.Host == "" {
			t.Fatalf("-base-url %q is not a URL", *baseURLFlag)
		}
		name := firstNonEmpty(*cassetteFlag, u.Hostname()+"-"+time.Now().UTC().Format("2006-01-02"))
		tg.cassette = filepath.Join("testdata", name)
	} else {
		srv, err := localgh.Open(localgh.Options{WritesPerMinute: -1, WritesPerHour: -1, Realism: localRealism()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		must(t, srv.AddUser(localOwner, localToken))
		must(t, srv.CreateRepo(localOwner, localRepo, false))
		srv.SetLatency(2 * time.Millisecond)
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		tg.local, tg.owner, tg.repo, tg.token = srv, localOwner, localRepo, localToken
		tg.settle = localRealism().Lag + 20*time.Millisecond
		// The server's limits are small; the client paces nothing but knows the server's lag.
		tg.params = []string{"writes_per_minute=0", "writes_per_hour=0", "write_interval=0",
			"read_lag=" + localRealism().Lag.String()}
		upstream = hs.URL
		tg.cassette = firstNonEmpty(cassette, filepath.Join(t.TempDir(), "local"))
	}
	tg.proxy = httptest.NewServer(tg.counts.wrap(tg.recordingProxy(upstream)))
	t.Cleanup(tg.proxy.Close)
	return tg
}

// recordingProxy forwards every request to upstream (an API root) through a go-vcr recorder
// that scrubs the token, and rewrites the Link headers of the answers to point back at itself.
func (tg *target) recordingProxy(upstream string) http.Handler {
	t := tg.t
	rec, err := recorder.New(tg.cassette,
		recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithRealTransport(http.DefaultTransport),
		recorder.WithSkipRequestLatency(true),
		recorder.WithHook(scrubHook(tg.token), recorder.AfterCaptureHook),
	)
	if err != nil {
		t.Fatalf("go-vcr: %v", err)
	}
	t.Cleanup(func() {
		if err := rec.Stop(); err != nil {
			t.Errorf("saving the cassette: %v", err)
		}
	})
	up, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	var self string
	var selfOnce sync.Once
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			selfOnce.Do(func() { self = "http://" + pr.In.Host })
			pr.SetURL(up)
			// Let the recorder's own transport ask for (and undo) compression, so the cassette
			// holds readable JSON.
			pr.Out.Header.Del("Accept-Encoding")
		},
		Transport: rec,
		ModifyResponse: func(resp *http.Response) error {
			if l := resp.Header.Get("Link"); l != "" {
				resp.Header.Set("Link", strings.ReplaceAll(l, upstream, self))
			}
			return nil
		},
	}
}

// scrubHook removes Authorization from a recorded request and the token from every header and
// body of the interaction.
func scrubHook(token string) recorder.HookFunc {
	return func(i *cassette.Interaction) error {
		i.Request.Headers.Del("Authorization")
		for _, h := range []http.Header{i.Request.Headers, i.Response.Headers} {
			for k, vs := range h {
				for j, v := range vs {
					h[k][j] = scrub(v, token)
				}
			}
		}
		i.Request.Body = scrub(i.Request.Body, token)
		i.Request.URL = scrub(i.Request.URL, token)
		i.Response.Body = scrub(i.Response.Body, token)
		return nil
	}
}

func scrub(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "REDACTED")
}

// dsn is the DSN of the target's repository through the proxy, plus params.
func (tg *target) dsn(params ...string) string {
	q := []string{"base_url=" + url.QueryEscape(tg.proxy.URL+"/"), "token=" + url.QueryEscape(tg.token)}
	q = append(q, tg.params...)
	return tg.owner + "/" + tg.repo + "?" + strings.Join(append(q, params...), "&")
}

// open opens a *sql.DB on its own Connector and does the Connector's one-time set-up (Ping,
// the token's login), which DESIGN.md §6 leaves outside the per-operation figures.
func (tg *target) open(params ...string) (*sql.DB, *driver.Connector) {
	tg.t.Helper()
	cfg, err := driver.ParseDSN(tg.dsn(params...))
	if err != nil {
		tg.t.Fatalf("DSN: %v", err)
	}
	conn, err := driver.NewConnector(cfg)
	if err != nil {
		tg.t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	tg.t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	must(tg.t, db.PingContext(ctx))
	if _, err := conn.Store().Login(ctx); err != nil {
		tg.t.Fatal(err)
	}
	return db, conn
}

// wait lets replicas catch up before a step whose figures are checked.
func (tg *target) wait() { time.Sleep(tg.settle) }

// runID is this run's marker: the ids it makes start with RunPrefix + runID.
func runID(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return RunPrefix + hex.EncodeToString(b)
}

// counter counts the requests the driver sends through the proxy, as the client sees them.
type counter struct {
	mu  sync.Mutex
	log []exchange
}

// exchange is one request as the proxy saw it.
type exchange struct {
	Method, Path string
	Status       int
	Conditional  bool
	Secondary    bool // a secondary-limit refusal (GitHub's pacing, re-sent after its wait)
}

func (c *counter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &sniffer{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		x := exchange{Method: r.Method, Path: r.URL.RequestURI(), Status: sw.status, Conditional: r.Header.Get("If-None-Match") != ""}
		x.Secondary = (sw.status == 403 || sw.status == 429) && bytes.Contains(bytes.ToLower(sw.head), []byte("secondary rate limit"))
		c.mu.Lock()
		c.log = append(c.log, x)
		c.mu.Unlock()
	})
}

// measure runs fn and returns the figures of what it sent.
func (c *counter) measure(fn func()) figures {
	c.mu.Lock()
	from := len(c.log)
	c.mu.Unlock()
	fn()
	c.mu.Lock()
	defer c.mu.Unlock()
	return figuresOf(c.log[from:])
}

// sniffer records an answer's status and the start of its body.
type sniffer struct {
	http.ResponseWriter
	status int
	head   []byte
}

func (s *sniffer) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }
func (s *sniffer) Write(b []byte) (int, error) {
	if len(s.head) < 512 {
		s.head = append(s.head, b[:min(len(b), 512-len(s.head))]...)
	}
	return s.ResponseWriter.Write(b)
}

// figures are DESIGN.md §6's: requests (304s included), content-creating ones, counted ones
// (all but 304s). Secondary-limit refusals are kept apart: the request is sent again after the
// wait and counted then.
type figures struct {
	Requests, Creating, Counted, NotModified, Refused int
	log                                               []exchange
}

func figuresOf(log []exchange) figures {
	f := figures{log: append([]exchange(nil), log...)}
	for _, x := range log {
		if x.Secondary {
			f.Refused++
			continue
		}
		f.Requests++
		switch x.Method {
		case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
			f.Creating++
		}
		if x.Status == http.StatusNotModified {
			f.NotModified++
		} else {
			f.Counted++
		}
	}
	return f
}

func (f figures) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests, %d content-creating, %d counted, %d answered 304, %d refused by a secondary limit", f.Requests, f.Creating, f.Counted, f.NotModified, f.Refused)
	for _, x := range f.log {
		fmt.Fprintf(&b, "\n\t%s %s → %d", x.Method, x.Path, x.Status)
		if x.Conditional {
			b.WriteString(" (conditional)")
		}
	}
	return b.String()
}

// budget is a DESIGN.md §6 target: at most so many requests, content-creating, counted.
type budget struct{ Requests, Creating, Counted int }

// within reports (without stopping the scenario) an operation whose figures exceed want.
func within(t *testing.T, op string, got figures, want budget) {
	t.Helper()
	t.Logf("%s: %d/%d/%d (target ≤ %d/%d/%d)", op, got.Requests, got.Creating, got.Counted, want.Requests, want.Creating, want.Counted)
	if got.Requests > want.Requests || got.Creating > want.Creating || got.Counted > want.Counted {
		t.Errorf("%s: DESIGN.md §6's target is at most %d requests, %d content-creating, %d counted; it sent %s",
			op, want.Requests, want.Creating, want.Counted, got)
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
