package live

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
)

// tokenLike matches GitHub's token formats (classic, fine-grained, OAuth, app, refresh) and a
// credential after an auth scheme.
var tokenLike = regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})|(?i)\b(token|bearer|basic) [A-Za-z0-9_\-.=]{16,}`)

// secretsIn lists what in a cassette could be a credential: an Authorization header, a token
// (given, or of GitHub's formats) anywhere in headers, URLs or bodies.
func secretsIn(c *cassette.Cassette, token string) []string {
	var out []string
	look := func(where, s string) {
		if token != "" && strings.Contains(s, token) {
			out = append(out, where+": the token")
		}
		if m := tokenLike.FindString(s); m != "" {
			out = append(out, where+": something like a token ("+m[:min(len(m), 8)]+"…)")
		}
	}
	for _, in := range c.Interactions {
		for _, h := range []http.Header{in.Request.Headers, in.Response.Headers} {
			for k, vs := range h {
				if strings.EqualFold(k, "Authorization") || strings.EqualFold(k, "Proxy-Authorization") {
					out = append(out, in.Request.URL+": an "+k+" header")
				}
				for _, v := range vs {
					look(in.Request.URL+" header "+k, v)
				}
			}
		}
		look(in.Request.URL+" URL", in.Request.URL)
		look(in.Request.URL+" request body", in.Request.Body)
		look(in.Request.URL+" answer", in.Response.Body)
	}
	return out
}

// replay sends every request of the cassette at path (without .yaml) through go-vcr in replay
// mode and checks each answer as ghstore reads it (checkAnswer).
func replay(t *testing.T, path string) map[string]int {
	t.Helper()
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	rec, err := recorder.New(path, recorder.WithMode(recorder.ModeReplayOnly), recorder.WithSkipRequestLatency(true),
		recorder.WithMatcher(func(r *http.Request, i cassette.Request) bool {
			return r.Method == i.Method && r.URL.String() == i.URL
		}))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer rec.Stop()
	total := map[string]int{}
	for _, in := range c.Interactions {
		req, err := http.NewRequestWithContext(context.Background(), in.Request.Method, in.Request.URL, strings.NewReader(in.Request.Body))
		must(t, err)
		resp, err := rec.RoundTrip(req)
		if err != nil {
			t.Errorf("%s: replaying %s %s: %v", path, in.Request.Method, in.Request.URL, err)
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		must(t, err)
		if resp.StatusCode != in.Response.Code {
			t.Errorf("%s: %s %s replayed %d, recorded %d", path, in.Request.Method, in.Request.URL, resp.StatusCode, in.Response.Code)
		}
		met, err := checkAnswer(in.Request.Method, req.URL.Path, resp.StatusCode, body)
		if err != nil {
			t.Errorf("%s: %s %s → %d: %v", path, in.Request.Method, in.Request.URL, resp.StatusCode, err)
		}
		for k, v := range met {
			total[k] += v
		}
	}
	return total
}

// TestCassettes: every cassette under testdata/ holds no credential, replays, and each of its
// answers decodes as ghstore reads it.
func TestCassettes(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	must(t, err)
	t.Logf("%d cassettes under testdata/", len(files))
	for _, f := range files {
		name := strings.TrimSuffix(f, ".yaml")
		c, err := cassette.Load(name)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, s := range secretsIn(c, "") {
			t.Errorf("%s: %s", f, s)
		}
		t.Logf("%s: %d exchanges, %v", f, len(c.Interactions), replay(t, name))
	}
}

// TestRecordedRunIsScrubbedAndReplays: a run on the local server, recorded as a live run is,
// leaves a cassette without the token or an Authorization header, and that cassette replays.
func TestRecordedRunIsScrubbedAndReplays(t *testing.T) {
	if *repoFlag != "" {
		t.Skip("runs on the local server only")
	}
	path := filepath.Join(t.TempDir(), "recorded")
	t.Run("record", func(t *testing.T) {
		tg := newTargetRecording(t, path)
		db, _ := tg.open()
		id := runID(t) + "-rec"
		exec(t, db, 1, sqlInsert, id, `{"a":1}`)
		tg.wait()
		readField(t, db, id, "a")
		exec(t, db, 1, sqlSetScore, 3, id)
		tg.wait()
		exec(t, db, 1, sqlDelete, id)
	})
	c, err := cassette.Load(path)
	must(t, err)
	if len(c.Interactions) < 8 {
		t.Fatalf("the cassette holds %d exchanges, want the whole run", len(c.Interactions))
	}
	if s := secretsIn(c, localToken); len(s) > 0 {
		t.Fatalf("the cassette holds secrets: %v", s)
	}
	met := replay(t, path)
	if met[kindIssue] == 0 || met[kindComment] == 0 {
		t.Fatalf("replaying checked %v, want issues and comments", met)
	}
}

// TestSecretsInFindsCredentials: the cassette check sees an Authorization header and tokens.
func TestSecretsInFindsCredentials(t *testing.T) {
	mk := func(h http.Header, body string) *cassette.Cassette {
		c := cassette.New("x")
		c.AddInteraction(&cassette.Interaction{Request: cassette.Request{Method: "GET", URL: "https://api.github.com/user", Headers: h, Body: body},
			Response: cassette.Response{Code: 200, Headers: http.Header{}, Body: "{}"}})
		return c
	}
	cases := []*cassette.Cassette{
		mk(http.Header{"Authorization": {"REDACTED"}}, ""),
		mk(http.Header{}, `{"t":"ghp_abcdefghijklmnopqrstuvwxyz0123"}`),
		mk(http.Header{"X-Forwarded": {"bearer abcdefghijklmnopqrstu"}}, ""),
		mk(http.Header{}, "the s3cret-live-token"),
	}
	for i, c := range cases {
		if s := secretsIn(c, "s3cret-live-token"); len(s) == 0 {
			t.Errorf("case %d: no secret found", i)
		}
	}
	if s := secretsIn(mk(http.Header{"Accept": {"application/json"}}, "{}"), "s3cret-live-token"); len(s) != 0 {
		t.Errorf("a clean cassette: %v", s)
	}
}
