package store

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v66/github"
)

// NewClient makes the go-github client a Store (or anything else) sends its requests with:
// through hc to baseURL ("" is DefaultBaseURL). go-github joins request paths to its BaseURL, which
// must end in a slash, so one is added when missing.
func NewClient(hc *http.Client, baseURL string) (*github.Client, error) {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("ghstore: base URL %q is not an absolute URL", baseURL)
	}
	gh := github.NewClient(hc)
	gh.BaseURL, gh.UploadURL = u, u
	return gh, nil
}
