package store

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
)

// listed sits between a client's transport and localgh and records, for every issue list GitHub
// answered with a body (a 304 has none), the query and the issue numbers in the answer: what a
// list actually fetched.
type listed struct {
	next  http.RoundTripper
	mu    sync.Mutex
	pages []listedPage
}

type listedPage struct {
	query   string
	status  int
	numbers []int
}

func (l *listed) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err != nil || r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/issues") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	p := listedPage{query: r.URL.RawQuery, status: resp.StatusCode}
	if resp.StatusCode == http.StatusOK {
		var issues []struct{ Number int }
		if json.Unmarshal(body, &issues) == nil {
			for _, is := range issues {
				p.numbers = append(p.numbers, is.Number)
			}
		}
	}
	l.mu.Lock()
	l.pages = append(l.pages, p)
	l.mu.Unlock()
	return resp, nil
}

// take returns the pages recorded since the last take.
func (l *listed) take() []listedPage {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.pages
	l.pages = nil
	return out
}
