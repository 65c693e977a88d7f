package store

import (
	"bytes"
	"context"
	"fmt"
	"github.com/ghstore/ghstore/internal/idkey"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// snapshotEntry is one object of a snapshot file, kept as its raw JSON.
type snapshotEntry struct {
	id  string
	raw []byte
}

// snapshotEntryJSON is gh-store's snapshot form of an object:
// {"data": …, "meta": {"issue_number", "object_id", "created_at", "updated_at", "version"}}.
func snapshotEntryJSON(o *Object) []byte {
	var b bytes.Buffer
	b.WriteString(`{"data":`)
	b.Write(o.Data)
	b.WriteString(`,"meta":{"issue_number":`)
	b.WriteString(strconv.Itoa(o.Issue))
	b.WriteString(`,"object_id":`)
	b.Write(quote(o.ID))
	b.WriteString(`,"created_at":`)
	b.Write(quote(o.CreatedAt.UTC().Format(time.RFC3339)))
	b.WriteString(`,"updated_at":`)
	b.Write(quote(o.UpdatedAt.UTC().Format(time.RFC3339)))
	b.WriteString(`,"version":`)
	b.WriteString(strconv.Itoa(o.Version))
	b.WriteString(`}}`)
	return b.Bytes()
}

// writeSnapshot writes gh-store's snapshot JSON, 2-space indented:
// {"snapshot_time": RFC3339, "repository": "owner/repo", "objects": {id: entry, …}}.
func (s *storeImpl) writeSnapshot(w io.Writer, at time.Time, entries []snapshotEntry) error {
	var b bytes.Buffer
	b.WriteString(`{"snapshot_time":`)
	b.Write(quote(at.UTC().Format(time.RFC3339)))
	b.WriteString(`,"repository":`)
	b.Write(quote(s.owner + "/" + s.repo))
	b.WriteString(`,"objects":{`)
	for i, e := range entries {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(quote(e.id))
		b.WriteByte(':')
		b.Write(e.raw)
	}
	b.WriteString(`}}`)
	out := indentJSON(b.Bytes(), "")
	out = append(out, '\n')
	_, err := w.Write(out)
	return err
}

// snapshot lists every live object and writes them; snapshot_time is taken before the listing, so a
// later UpdateSnapshot misses nothing that changed during it.
func (s *storeImpl) snapshot(ctx context.Context, w io.Writer) error {
	at := s.clock.Now()
	var entries []snapshotEntry
	for obj, err := range s.list(ctx, ListOptions{}) {
		if err != nil {
			return fmt.Errorf("ghstore: snapshot: %w", err)
		}
		entries = append(entries, snapshotEntry{id: obj.ID, raw: snapshotEntryJSON(obj)})
	}
	return s.writeSnapshot(w, at, entries)
}

// updateSnapshot brings the snapshot file at path up to date: the objects updated since its
// snapshot_time replace or join its entries, the ids archived since are dropped (when the entry is
// of the archived issue), and the file is replaced atomically (temp file + rename).
func (s *storeImpl) updateSnapshot(ctx context.Context, path string) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("ghstore: reading snapshot: %w", err)
	}
	if !jsonValid(old) || !gjson.GetBytes(old, "objects").IsObject() {
		return fmt.Errorf("%w: %s is not a gh-store snapshot (no \"objects\" object)", ErrInvalidData, path)
	}
	since, err := time.Parse(time.RFC3339Nano, gjson.GetBytes(old, "snapshot_time").String())
	if err != nil {
		return fmt.Errorf("%w: %s: bad snapshot_time: %v", ErrInvalidData, path, err)
	}
	if !utf8.Valid(old) {
		return fmt.Errorf("%w: %s is not a gh-store snapshot (not valid UTF-8)", ErrInvalidData, path)
	}
	var entries []snapshotEntry
	index := map[string]int{}
	var bad error
	gjson.GetBytes(old, "objects").ForEach(func(k, v gjson.Result) bool {
		key := idkey.Of(k.String())
		switch _, dup := index[key]; {
		case dup: // ids compare case-insensitively: which entry is the object's is unknowable
			bad = fmt.Errorf("%w: %s is not a valid gh-store snapshot: object %s appears twice", ErrInvalidData, path, k.Raw)
		case !v.IsObject():
			bad = fmt.Errorf("%w: %s is not a valid gh-store snapshot: object %s is not a JSON object ({\"data\": …, \"meta\": …})", ErrInvalidData, path, k.Raw)
		}
		index[key] = len(entries)
		entries = append(entries, snapshotEntry{id: k.String(), raw: []byte(v.Raw)})
		return bad == nil
	})
	if bad != nil {
		return bad
	}

	at := s.clock.Now()
	refreshed := map[string]bool{}
	for obj, err := range s.list(ctx, ListOptions{Since: since}) {
		if err != nil {
			return fmt.Errorf("ghstore: updating snapshot %s: %w", path, err)
		}
		key := idkey.Of(obj.ID)
		refreshed[key] = true
		e := snapshotEntry{id: obj.ID, raw: snapshotEntryJSON(obj)}
		if i, ok := index[key]; ok {
			entries[i] = e
		} else {
			index[key] = len(entries)
			entries = append(entries, e)
		}
	}
	drop := map[int]bool{}
	err = s.listIssues(ctx, []string{labelArchived, labelStore}, "all", since, func(page []*ghIssue) (bool, error) {
		for _, iss := range page {
			id, _ := objectID(iss.labels)
			i, ok := index[idkey.Of(id)]
			if id == "" || !ok {
				continue
			}
			num := gjson.GetBytes(entries[i].raw, "meta.issue_number")
			if (num.Exists() && int(num.Int()) == iss.number) || (!num.Exists() && !refreshed[idkey.Of(id)]) {
				drop[i] = true
			}
		}
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("ghstore: updating snapshot %s: %w", path, err)
	}
	kept := entries[:0]
	for i, e := range entries {
		if !drop[i] {
			kept = append(kept, e)
		}
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), ".snapshot-*")
	if err != nil {
		return fmt.Errorf("ghstore: writing snapshot: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename this removes nothing
	if err := s.writeSnapshot(tmp, at, kept); err != nil {
		tmp.Close()
		return fmt.Errorf("ghstore: writing snapshot: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("ghstore: writing snapshot: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("ghstore: writing snapshot: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("ghstore: writing snapshot: %w", err)
	}
	return nil
}
