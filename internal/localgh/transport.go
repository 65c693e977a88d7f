package localgh

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// transport serves requests in-process: the same pipeline as ServeHTTP, answered as a real
// *http.Response, with connection faults returned as errors.
type transport struct{ s *server }

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	r, done := t.s.enterFlight(r)
	defer done()
	a, act, err := t.s.process(r)
	if act != actAnswer {
		return nil, err
	}
	body := a.body
	if r.Method == http.MethodHead {
		body = nil
	}
	return &http.Response{
		Status:        strconv.Itoa(a.status) + " " + http.StatusText(a.status),
		StatusCode:    a.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        a.header,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}, nil
}
