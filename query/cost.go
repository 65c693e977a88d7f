package query

import "time"

// Estimate is what EXPLAIN knows of the store and the Connector when it costs a plan. It sends
// no request, so the store's size is as the last complete scan saw it.
type Estimate struct {
	// Scanned: a scan has measured the store; Objects (M) and Open (P, the objects with
	// pending updates, whose comments a scan lists) are its figures. Before any scan both are 0.
	Scanned       bool
	Objects, Open int
	// HistoryPages is how many pages of comments (100 a page) the objects' logs fill, as the
	// last scan saw them; 0 counts one page per object.
	HistoryPages int
	// Async: apply=async, an update is a comment and a reopen, applied later.
	Async bool
	// Pacing is how the Connector spaces content-creating requests.
	Pacing Pacing
	// ReadLag is the DSN's read_lag: a new object's INSERT is acknowledged only once that long
	// has passed since its issue was made (a racing duplicate then shows), so the rows of a plain
	// INSERT, made one after another, take at least that long each.
	ReadLag time.Duration
}

// Cost is the most a plan will cost: the objects it writes, the requests it sends and how many
// of those are content-creating, and the least wall time the pacing of those allows.
type Cost struct {
	// Objects is how many objects the plan writes at most: the rows of an INSERT, and for an
	// UPDATE or DELETE every object its access reads (WHERE may keep fewer).
	Objects         int
	Requests        int
	ContentCreating int
	LeastTime       time.Duration
}

// Per-object costs of writes (DESIGN.md §6) after the reads that find the object (its lookup
// or the scan, counted by the access): requests, of which content-creating.
//   - insert: create the issue with its labels, one list to catch a racing duplicate, the
//     initial-state comment, close it (no read before).
//   - update, inline: the comment, the list of the log, the PATCH of body and state, the +1:
//     with its lookup (answered 304 after a read) the 5 requests of DESIGN.md's table. A lost
//     race costs a comment, a list and a PATCH more; about one update in 50 of an object also
//     writes a checkpoint (2 more content-creating). Neither is counted here.
//   - update, async: the comment and the reopen.
//   - delete: the PATCH that archives and closes.
const (
	insertRequests, insertCreating           = 4, 3
	updateRequests, updateCreating           = 4, 3
	asyncUpdateRequests, asyncUpdateCreating = 2, 2
	deleteRequests, deleteCreating           = 1, 1
)

// Cost is the plan's cost under e (see Cost's fields).
func (p *Plan) Cost(e Estimate) Cost { return p.impl.cost(e) }

func (p *plan) cost(e Estimate) Cost {
	st := p.st
	a := p.access
	var c Cost
	switch st.kind {
	case Select:
		c.Requests = readRequests(a, e, true)
		if st.table == History {
			c.Requests = historyRequests(a, e)
		}
		return c
	case Insert:
		c.Objects = len(p.rows)
		perReq, perCreating := insertRequests, insertCreating
		if st.ins.upsert {
			// The offered ids are read in one batch; each row is then an insert or an update,
			// and the update costs more.
			c.Requests = readRequests(a, e, false) // looked up, never scanned
			perReq, perCreating = max(insertRequests, updateRequests), max(insertCreating, updateCreating)
		}
		c.Requests += c.Objects * perReq
		c.ContentCreating = c.Objects * perCreating
	case Update, Delete:
		c.Objects = len(a.IDs)
		if a.Scan {
			c.Objects = e.Objects
		}
		perReq, perCreating := updateRequests, updateCreating
		switch {
		case st.kind == Delete:
			perReq, perCreating = deleteRequests, deleteCreating
		case e.Async:
			perReq, perCreating = asyncUpdateRequests, asyncUpdateCreating
		}
		c.Requests = readRequests(a, e, true) + c.Objects*perReq
		c.ContentCreating = c.Objects * perCreating
	}
	c.LeastTime = e.Pacing.LeastTime(c.ContentCreating)
	if st.kind == Insert && !st.ins.upsert { // an upsert's rows may all exist: no lag wait
		c.LeastTime = max(c.LeastTime, time.Duration(c.Objects)*e.ReadLag)
	}
	return c
}

// readRequests is what fetching the objects an access names costs at most: the scan (its pages
// and the comments of each open object), or a lookup per id and the comments of as many of
// them as may be open. mayScan: the driver scans instead of looking up more ids than a scan
// costs requests (once a scan has measured the store: before, it cannot know).
func readRequests(a Access, e Estimate, mayScan bool) int {
	if a.Scan || mayScan && e.Scanned && a.ScanCheaper(e.Objects, e.Open) {
		return scanRequests(e.Objects, e.Open)
	}
	return len(a.IDs) + min(len(a.IDs), e.Open)
}

// historyRequests is what reading the logs the access names costs: each object's lookup and its
// comments, 100 a page (at least one), and for an open object its pending comments once more
// (the fold reads them before the log is listed), after the scan that lists the objects when it
// scans.
func historyRequests(a Access, e Estimate) int {
	if !a.Scan {
		return 2*len(a.IDs) + min(len(a.IDs), e.Open)
	}
	return scanRequests(e.Objects, e.Open) + e.Objects + max(e.HistoryPages, e.Objects) + e.Open
}
