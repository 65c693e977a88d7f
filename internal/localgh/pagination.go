package localgh

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// pageParams reads per_page (default 30, clamped to 100) and page (from 1; any int, a page
// past the last is empty). Values that are not numbers are ignored, as GitHub ignores them.
func pageParams(rc *reqCtx) (perPage, page int) {
	perPage, page = defaultPerPage, 1
	if v, err := strconv.Atoi(rc.query.Get("per_page")); err == nil && v > 0 {
		perPage = min(v, maxPerPage)
	}
	if v, err := strconv.Atoi(rc.query.Get("page")); err == nil && v > 0 {
		page = v
	}
	return perPage, page
}

// paginate answers one page of items with GitHub's RFC 5988 Link header (next/last, and
// prev/first past page 1), built from the request's own host and path.
func paginate[T any](rc *reqCtx, items []T) *answer {
	return paginateRendered(rc, items, func(t T) T { return t })
}

// paginateRendered is paginate for items that are rendered into their JSON shape: only the page
// answered is rendered, so paging through M items renders each once, not M times a page.
func paginateRendered[T, R any](rc *reqCtx, items []T, render func(T) R) *answer {
	perPage, page := pageParams(rc)
	total := len(items)
	last := (total + perPage - 1) / perPage
	if last < 1 {
		last = 1
	}
	lo := total // a page past the last is empty, however far past (no overflow)
	if page-1 < (total+perPage-1)/perPage {
		lo = (page - 1) * perPage
	}
	hi := min(lo+perPage, total)
	pageItems := make([]R, 0, hi-lo)
	for _, it := range items[lo:hi] {
		pageItems = append(pageItems, render(it))
	}
	a := jsonAnswer(http.StatusOK, pageItems)
	var links []string
	if page > 1 {
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, pageURL(rc, min(page-1, last))))
	}
	if page < last {
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, pageURL(rc, page+1)))
		links = append(links, fmt.Sprintf(`<%s>; rel="last"`, pageURL(rc, last)))
	}
	if page > 1 {
		links = append(links, fmt.Sprintf(`<%s>; rel="first"`, pageURL(rc, 1)))
	}
	if len(links) > 0 {
		a.header.Set("Link", strings.Join(links, ", "))
	}
	return a
}

// pageURL is the request's URL at another page. page= comes last, as on GitHub: some clients
// (PyGithub's totalCount) read the last page number from the end of the URL.
func pageURL(rc *reqCtx, page int) string {
	q := rc.r.URL.Query()
	q.Del("page")
	query := q.Encode()
	if query != "" {
		query += "&"
	}
	return rc.origin + rc.r.URL.EscapedPath() + "?" + query + "page=" + strconv.Itoa(page)
}
