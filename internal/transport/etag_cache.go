package transport

import (
	"bytes"
	"github.com/ghstore/ghstore/internal/lru"
	"io"
	"net/http"
	"strconv"
)

// CacheHeader is set to "revalidated" on a response the ETag cache answered from its entry after
// GitHub answered 304 Not Modified.
const CacheHeader = "X-Ghstore-Cache"

// etagCache is the ETag cache layer: a GET with an entry is sent with If-None-Match, and a 304 is
// answered from the entry as a 200. It never answers without asking.
type etagCache struct {
	next     http.RoundTripper
	entries  *lru.Cache[*cachedResponse]
	maxBytes int64 // the entries' bound: a body over a quarter of it is not kept
	identity identityFunc
}

func (c *etagCache) RoundTrip(r *http.Request) (*http.Response, error) {
	// A caller that makes its own conditional request gets GitHub's own answer.
	if r.Method != http.MethodGet || r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
		return c.next.RoundTrip(r)
	}
	who, err := c.identity(r)
	if err != nil {
		return nil, err
	}
	key := cacheKey(r, who)
	entry, cached := c.entries.Get(key)
	out := r
	if cached {
		out = r.Clone(r.Context())
		out.Header.Set("If-None-Match", entry.etag)
	}
	resp, err := c.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && cached:
		drain(resp.Body)
		return fromCache(r, resp, entry), nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "":
		return c.keep(key, resp), nil
	case resp.StatusCode == http.StatusOK, resp.StatusCode == http.StatusNotFound, resp.StatusCode == http.StatusGone:
		c.entries.Remove(key)
	}
	return resp, nil
}

// keep stores a 200 answer that carries an ETag and returns it with a body that reads the same.
func (c *etagCache) keep(key string, resp *http.Response) *http.Response {
	limit := c.maxBytes / 4
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil || int64(len(body)) > limit {
		// Too big to keep, or broken: pass on what was read followed by the rest (or the error).
		c.entries.Remove(key)
		rest := io.Reader(resp.Body)
		if err != nil {
			rest = errReader{err}
		}
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(body), rest), resp.Body}
		return resp
	}
	resp.Body.Close()
	c.entries.Put(key, &cachedResponse{etag: resp.Header.Get("ETag"), header: resp.Header.Clone(), body: body})
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp
}

// fromCache answers r with entry as a 200, taking the fresh headers (rate limits, date) of the 304
// notModified.
func fromCache(r *http.Request, notModified *http.Response, entry *cachedResponse) *http.Response {
	h := entry.header.Clone()
	for k, vs := range notModified.Header {
		switch k {
		case "Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding":
			continue
		}
		h[k] = append([]string(nil), vs...)
	}
	hideSpentReset(h) // the entry's old reset must not pair with the 304's spent budget
	h.Set("Content-Length", strconv.Itoa(len(entry.body)))
	h.Set(CacheHeader, "revalidated")
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         notModified.Proto,
		ProtoMajor:    notModified.ProtoMajor,
		ProtoMinor:    notModified.ProtoMinor,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(entry.body)),
		ContentLength: int64(len(entry.body)),
		Request:       r,
		TLS:           notModified.TLS,
	}
}

// cacheKey names a GET by who sends it, what it accepts and its URL (ETags differ per token and
// per Accept).
func cacheKey(r *http.Request, identity string) string {
	return identity + "\x00" + r.Header.Get("Accept") + "\x00" + r.URL.String()
}

// drain reads a little of body so the connection can be reused, then closes it.
func drain(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 64<<10)
	body.Close()
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type readCloser struct {
	io.Reader
	io.Closer
}
