package localgh

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// enterprisePrefix is where go-github's WithEnterpriseURLs puts the API; every route is served
// there as well as at /.
const enterprisePrefix = "/api/v3"

// maxRequestBody bounds what one request may send: GitHub's largest field is 65,536
// characters, at most 786,432 bytes of JSON even with every character \u-escaped in pairs. A
// longer body is answered 413 without being read past the bound.
const maxRequestBody = 2 << 20

// action is what the transport must do with a processed request.
type action int

const (
	actAnswer  action = iota // write the answer
	actDrop                  // applied; lose the answer (close the connection)
	actReset                 // not applied; close the connection
	actAbandon               // not applied; the request's context ended
)

// errDropped and errReset are what the in-process transport returns for injected connection faults.
var (
	errDropped = fmt.Errorf("localgh: connection closed before the answer (injected): %w", io.ErrUnexpectedEOF)
	errReset   = fmt.Errorf("localgh: connection reset (injected): %w", syscall.ECONNRESET)
)

// reqCtx is one request as the handlers see it.
type reqCtx struct {
	r      *http.Request
	method string
	login  string // "" when anonymous
	query  url.Values
	body   []byte
	prefix string // "" or enterprisePrefix
	origin string // scheme://host of the request
	segs   []string
}

// apiBase is the API root for URLs inside bodies: api.github.com stays itself.
func (rc *reqCtx) apiBase() string { return rc.origin + rc.prefix }

// htmlBase is the web root: github.com for api.github.com, the same host otherwise.
func (rc *reqCtx) htmlBase() string {
	if strings.HasSuffix(rc.origin, "://api.github.com") {
		return "https://github.com"
	}
	return rc.origin
}

func requestOrigin(r *http.Request) string {
	if r.URL.Host != "" {
		scheme := r.URL.Scheme
		if scheme == "" {
			scheme = "https"
		}
		return scheme + "://" + r.URL.Host
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// splitPath strips the enterprise prefix and unescapes each segment.
func splitPath(r *http.Request) (prefix, path string, segs []string) {
	p := r.URL.EscapedPath()
	if p == enterprisePrefix || strings.HasPrefix(p, enterprisePrefix+"/") {
		prefix, p = enterprisePrefix, strings.TrimPrefix(p, enterprisePrefix)
	}
	path = p
	if u, err := url.PathUnescape(p); err == nil {
		path = u
	}
	for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
		if s == "" {
			continue
		}
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		segs = append(segs, s)
	}
	return prefix, path, segs
}

// bearer is the token of an `Authorization: token X` or `Bearer X` header.
func bearer(r *http.Request) (token string, present bool) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" {
		return "", false
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok {
		return "", true
	}
	switch strings.ToLower(scheme) {
	case "token", "bearer":
		return strings.TrimSpace(tok), true
	}
	return "", true
}

func isCreating(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// identify maps a token to a login. Callers hold s.mu.
func (s *server) identify(r *http.Request) (login string, bad bool) {
	tok, present := bearer(r)
	if !present {
		return "", false
	}
	if tok != "" {
		if key := s.st.tokenOwner(tok); key != "" {
			return s.st.users[key].Login, false
		}
		if s.opts.AnyTokenAs != "" {
			if u := s.st.users[strings.ToLower(s.opts.AnyTokenAs)]; u != nil {
				return u.Login, false
			}
		}
	}
	return "", true
}

// process runs one request through faults, latency, authentication, rate limits, the handlers,
// conditional requests and the request log.
func (s *server) process(r *http.Request) (*answer, action, error) {
	ctx := r.Context()
	if err := ctx.Err(); err != nil {
		return nil, actAbandon, err
	}
	prefix, path, segs := splitPath(r)

	s.mu.Lock()
	closed := s.closed
	login, bad := s.identify(r)
	s.mu.Unlock()
	if closed {
		return nil, actReset, ErrClosed
	}
	// An unauthorised request is answered without reading its body: a stranger's upload costs
	// nothing but its headers.
	anonymousWrite := isCreating(r.Method) && login == "" && !bad
	body, tooLarge, err := readBody(r, bad || anonymousWrite)
	if err != nil {
		return nil, actReset, err
	}

	s.hookMu.Lock()
	s.seq++
	entry := Request{Seq: s.seq, Method: r.Method, Path: path, Query: r.URL.RawQuery, Login: login,
		Creating: isCreating(r.Method), Conditional: r.Header.Get("If-None-Match") != "", At: s.now()}
	s.log.add(entry)
	hook, latency := s.fault, s.latency
	s.hookMu.Unlock()

	finish := func(status int, counted bool) {
		s.hookMu.Lock()
		defer s.hookMu.Unlock()
		s.log.finish(entry.Seq, status, counted)
	}

	var f Fault
	if hook != nil {
		f = hook(Call{Seq: entry.Seq, Method: r.Method, Path: path, Login: login})
	}
	if latency > 0 {
		if err := s.opts.Sleep(ctx, latency); err != nil {
			finish(0, false)
			return nil, actAbandon, err
		}
	}
	if f.Hang {
		<-ctx.Done()
		finish(0, false)
		return nil, actAbandon, ctx.Err()
	}
	if f.Reset {
		finish(0, false)
		return nil, actReset, errReset
	}

	rc := &reqCtx{r: r, method: r.Method, login: login, query: r.URL.Query(), body: body,
		prefix: prefix, origin: requestOrigin(r), segs: segs}
	key := login
	rateLimitPath := len(segs) == 1 && segs[0] == "rate_limit"

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		finish(0, false)
		return nil, actReset, ErrClosed
	}
	now := s.now()
	counted := false
	var a *answer
	switch {
	case f.Status != 0:
		a = faultAnswer(f)
	case bad:
		a = errAnswer(http.StatusUnauthorized, msgBadCredentials, "")
	case anonymousWrite:
		a = needAuth()
	case tooLarge:
		a = errAnswer(http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body too large: at most %d bytes", maxRequestBody), "")
	case !rateLimitPath && s.limits.spent(key, now):
		a = s.primaryLimitAnswer(rc)
	default:
		counted = !rateLimitPath
		if entry.Creating && login != "" {
			if ok, wait := s.limits.allowWrite(writeKey(r, login), now); !ok {
				a = errAnswer(http.StatusForbidden, msgSecondaryLimit, docsSecondaryLimit)
				a.header.Set("Retry-After", strconv.Itoa(wait))
			}
		}
		if a == nil {
			a = s.route(rc)
		}
	}
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && a.status == http.StatusOK {
		tag := etag(s.etagScope(r, login), r.Header.Get("Accept"), a.body)
		a.header.Set("ETag", tag)
		a.header.Set("Cache-Control", "private, max-age=60, s-maxage=60")
		if etagMatches(r.Header.Get("If-None-Match"), tag) {
			a = &answer{status: http.StatusNotModified, header: a.header.Clone()}
			a.header.Del("Content-Type")
			counted = false
		}
	}
	if counted {
		s.limits.charge(key, now)
	}
	s.rateHeaders(a, key, now, f.Status == http.StatusForbidden && f.RateLimited)
	a.header.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	a.header.Set("X-GitHub-Media-Type", "github.v3; format=json")
	a.header.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	a.header.Set("X-GitHub-Request-Id", fmt.Sprintf("0000:%04X:%06X", entry.Seq>>24, entry.Seq&0xFFFFFF))
	a.header.Set("Content-Length", strconv.Itoa(len(a.body)))
	finish(a.status, counted)
	if f.DropAnswer {
		return a, actDrop, errDropped
	}
	return a, actAnswer, nil
}

// readBody reads r's body unless skip, up to maxRequestBody: a longer one (by its
// Content-Length, or once read that far) is tooLarge, and is not read further.
func readBody(r *http.Request, skip bool) (body []byte, tooLarge bool, err error) {
	if r.Body == nil {
		return nil, false, nil
	}
	defer r.Body.Close()
	if skip || r.Body == http.NoBody {
		return nil, false, nil
	}
	if r.ContentLength > maxRequestBody {
		return nil, true, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		return nil, false, fmt.Errorf("localgh: read request body: %w", err)
	}
	if len(b) > maxRequestBody {
		return nil, true, nil
	}
	return b, false, nil
}

// writeKey is whose write budget a content-creating request spends: its token's, so that
// tokens acting as one login (Options.AnyTokenAs) do not share one.
func writeKey(r *http.Request, login string) string {
	if tok, _ := bearer(r); tok != "" {
		return login + "\x00" + tokenKey(tok)
	}
	return login
}

func (s *server) primaryLimitAnswer(rc *reqCtx) *answer {
	who := "127.0.0.1"
	if h, _, err := net.SplitHostPort(rc.r.RemoteAddr); err == nil {
		who = h
	}
	if u := s.st.users[strings.ToLower(rc.login)]; u != nil {
		who = "user ID " + strconv.FormatInt(u.ID, 10)
	}
	return errAnswer(http.StatusForbidden, "API rate limit exceeded for "+who+". If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.", docsPrimaryLimit)
}

func (s *server) rateHeaders(a *answer, key string, now time.Time, spent bool) {
	limit, remaining, used, reset := s.limits.status(key, now)
	if spent {
		remaining = 0
	}
	a.header.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	a.header.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	a.header.Set("X-RateLimit-Used", strconv.Itoa(used))
	a.header.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	a.header.Set("X-RateLimit-Resource", "core")
}

// etag is a strong validator of the body as this caller, with this Accept, sees it.
func etag(login, accept string, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", login, accept)
	h.Write(body)
	return `"` + hex.EncodeToString(h.Sum(nil)[:20]) + `"`
}

func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

func (s *server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	a, act, _ := s.process(r)
	switch act {
	case actDrop, actReset:
		closeConnection(w)
		return
	case actAbandon:
		return
	}
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.WriteHeader(a.status)
	if r.Method != http.MethodHead && len(a.body) > 0 {
		_, _ = w.Write(a.body)
	}
}

// closeConnection drops the connection without an answer: hijacked and closed over HTTP/1, and
// aborted through http.ErrAbortHandler otherwise.
func closeConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
