package transport

import (
	"errors"
	"fmt"
)

// MaxPages is how many pages one listing may take before PageGuard stops it: 10,000 pages of
// 100 are a million issues, past anything GitHub serves to one listing.
const MaxPages = 10_000

// ErrPagination is wrapped by PageGuard's errors: a listing whose Link header loops or never
// ends.
var ErrPagination = errors.New("github: pagination does not end")

// PageGuard stops a listing loop that a server's Link header would keep going for ever: a
// `next` URL seen before in the same listing, or more than MaxPages pages. A listing makes one
// PageGuard and calls Next with the URL of every page before it fetches it (the first page's
// too). The zero value is ready; it is not safe for concurrent use.
type PageGuard struct {
	seen  map[string]bool
	pages int
}

// Next records that url is about to be fetched, or returns an error naming it when it was
// fetched before in this listing or the listing is past MaxPages pages.
func (g *PageGuard) Next(url string) error {
	if g.seen == nil {
		g.seen = map[string]bool{}
	}
	if g.seen[url] {
		return fmt.Errorf("%w: the server's Link header leads back to %s (page %d of this listing)", ErrPagination, url, g.pages+1)
	}
	g.pages++
	if g.pages > MaxPages {
		return fmt.Errorf("%w: more than %d pages, the last at %s", ErrPagination, MaxPages, url)
	}
	g.seen[url] = true
	return nil
}
