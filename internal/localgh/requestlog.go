package localgh

// The request log is for tests and benchmarks that count what a client sent. It must not make
// memory grow with traffic: it keeps the latest Options.RequestLog entries (DefaultRequestLog
// when 0, none when negative), each with its path and query cut to maxLoggedURL bytes.

// DefaultRequestLog is how many of the latest requests the log keeps when Options.RequestLog is 0.
const DefaultRequestLog = 10_000

// maxLoggedURL bounds the path and the query each entry keeps.
const maxLoggedURL = 1024

// requestLog is a ring of the latest entries. Callers hold server.hookMu.
type requestLog struct {
	max     int
	entries []Request // ring: entries[next] is the oldest once full
	next    int
}

func newRequestLog(size int) *requestLog {
	if size == 0 {
		size = DefaultRequestLog
	}
	return &requestLog{max: max(size, 0)}
}

// add keeps e, dropping the oldest entry when the log is full.
func (l *requestLog) add(e Request) {
	if l.max == 0 {
		return
	}
	e.Path, e.Query = cut(e.Path), cut(e.Query)
	if len(l.entries) < l.max {
		l.entries = append(l.entries, e)
		return
	}
	l.entries[l.next] = e
	l.next = (l.next + 1) % l.max
}

func cut(s string) string {
	if len(s) <= maxLoggedURL {
		return s
	}
	return s[:maxLoggedURL] + "…"
}

// finish records how request seq was answered, if it is still in the log.
func (l *requestLog) finish(seq, status int, counted bool) {
	n := len(l.entries)
	for i := 0; i < n; i++ { // newest first: it was added moments ago
		j := (l.next - 1 - i + 2*n) % n
		if l.entries[j].Seq == seq {
			l.entries[j].Status, l.entries[j].Counted = status, counted
			return
		}
	}
}

// list is a copy of the entries, oldest first.
func (l *requestLog) list() []Request {
	out := make([]Request, 0, len(l.entries))
	out = append(out, l.entries[l.next:]...)
	return append(out, l.entries[:l.next]...)
}

func (l *requestLog) reset() { l.entries, l.next = nil, 0 }
