package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// metaHelp is \help's text.
const metaHelp = `Statements end with ';' and may span lines. Tables: objects (id, data, issue, version,
pending, created_at, updated_at) and history (id, seq, kind, data, author, trusted, processed,
created_at, comment_id); \d objects lists the paths in data. A name that is no column is a
path into data: score, ` + "`user.name`" + `; data->'$.a.b' is JSON, data->>'$.a.b' its unquoted value.

  SELECT id, data->>'$.name' FROM objects WHERE score > 5 ORDER BY id LIMIT 10;
  INSERT INTO objects (id, name, score) VALUES ('alice', 'Alice', 10);
  UPDATE objects SET score = score + 1 WHERE id = 'alice';
  DELETE FROM objects WHERE id = 'alice';
  SELECT seq, kind, data, author FROM history WHERE id = 'alice';

Meta commands:
  \help          this text
  \explain SQL   the access path of SQL, the requests it will cost (content-creating among
                 them) and the least time GitHub's write limits allow for them
  \d [TABLE]     the tables; a table's columns; for objects also every JSON path in data,
                 with its type and how many objects have it (one scan; so does DESCRIBE)
  \r             clear the statement being typed
  \timing        toggle showing each statement's time and requests
  \limits        GitHub's rate-limit budget left, and when it resets
  \q             quit (so does Ctrl-D; an unfinished statement is dropped, not run);
                 Ctrl-C cancels the running statement
A meta command may follow SQL on a line: SELECT 1; \timing
`

// meta runs one meta command (a line starting with '\'). quit is true for \q.
func (s *session) meta(ctx context.Context, line string, interrupts <-chan os.Signal) (quit bool, err error) {
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch strings.ToLower(name) {
	case `\q`, `\quit`:
		return true, nil
	case `\help`, `\h`, `\?`:
		fmt.Fprint(s.sys.stdout, metaHelp)
		return false, nil
	case `\timing`:
		switch strings.ToLower(arg) {
		case "on":
			s.timing = true
		case "off":
			s.timing = false
		case "":
			s.timing = !s.timing
		default:
			return false, fmt.Errorf(`\timing takes on, off or nothing (to toggle), not %q`, arg)
		}
		state := "off"
		if s.timing {
			state = "on"
		}
		fmt.Fprintf(s.sys.stdout, "Timing is %s.\n", state)
		return false, nil
	case `\explain`:
		stmt := strings.TrimSpace(strings.TrimSuffix(arg, ";"))
		if stmt == "" {
			return false, fmt.Errorf(`\explain needs a statement: \explain SELECT * FROM objects WHERE id = 'a'`)
		}
		return false, s.cancellable(ctx, interrupts, func(ctx context.Context) error {
			return s.execute(ctx, "EXPLAIN "+stmt)
		})
	case `\d`, `\describe`:
		return false, s.cancellable(ctx, interrupts, func(ctx context.Context) error {
			return s.execute(ctx, "DESCRIBE "+strings.TrimSuffix(arg, ";"))
		})
	case `\limits`:
		return false, s.cancellable(ctx, interrupts, s.limits)
	}
	return false, fmt.Errorf(`unknown meta command %s: \help lists them`, name)
}

// limits shows the rate-limit budget GitHub last reported (asking once if nothing was sent yet)
// and what this session has spent.
func (s *session) limits(ctx context.Context) error {
	st := s.st.conn.Stats()
	if st.Limit == 0 && st.Requests == 0 {
		// The Connector's one-time set-up request brings the headers.
		if err := s.st.db.PingContext(ctx); err != nil {
			return err
		}
		st = s.st.conn.Stats()
	}
	w := s.sys.stdout
	if st.Limit == 0 {
		fmt.Fprintln(w, "No rate limit reported: this server sets none.")
	} else {
		fmt.Fprintf(w, "Budget: %d of %d requests left; it resets at %s (%s).\n",
			st.Remaining, st.Limit, st.Reset.Local().Format("15:04:05 MST"), untilText(st.Reset.Sub(s.sys.clock.Now())))
	}
	fmt.Fprintf(w, "This session: %s, %d counted (%d answered 304, which GitHub does not count), %d content-creating.\n",
		plural(st.Requests, "request"), st.Counted(), st.NotModified, st.ContentCreating)
	if st.Waits > 0 {
		fmt.Fprintf(w, "Waited %s in %d pauses for write pacing or rate limits.\n", st.Waited.Round(time.Second), st.Waits)
	}
	return nil
}

// plural is "1 request" or "N requests".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// untilText says how far away a time d ahead is, in words.
func untilText(d time.Duration) string {
	if d <= 0 {
		return "now"
	}
	if d < time.Minute {
		return "in less than a minute"
	}
	m := int(d.Round(time.Minute) / time.Minute)
	if m < 60 {
		return fmt.Sprintf("in %d min", m)
	}
	return fmt.Sprintf("in %d h %02d min", m/60, m%60)
}
