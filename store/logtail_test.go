package store

import "testing"

// TestTailPage: the last page always holds the newest comment, and at least tailWindow comments
// whenever a page size from tailWindow to 100 allows it (all but 27 counts of 20,000; for those it
// holds the most any size allows, and a read may need the page before).
func TestTailPage(t *testing.T) {
	t.Parallel()
	short := 0
	for count := 1; count <= 20_000; count++ {
		size, page := tailPage(count)
		if size < 1 || size > perPage || page < 1 {
			t.Fatalf("tailPage(%d) = %d, %d", count, size, page)
		}
		first, last := (page-1)*size+1, page*size
		if count < first || count > last {
			t.Fatalf("tailPage(%d): page %d of %d holds %d..%d, not the newest comment", count, page, size, first, last)
		}
		if held := count - first + 1; held < tailWindow && count > perPage {
			short++
			for p := perPage; p >= tailWindow; p-- {
				if best := (count-1)%p + 1; best > held {
					t.Fatalf("tailPage(%d) holds %d comments; size %d would hold %d", count, held, p, best)
				}
			}
		}
	}
	if short > 20_000/500 {
		t.Errorf("%d counts of 20,000 have a last page shorter than %d comments, want at most 0.2%%", short, tailWindow)
	}
}
