package store

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// Wire-format names shared with gh-store 0.10.x (DESIGN.md §2).
const (
	labelStore    = "gh-store"
	labelObject   = "stored-object"
	labelArchived = "archived"
	uidPrefix     = "UID:"
	titlePrefix   = "Stored Object: "
	// ClientVersion is written in every envelope's _meta.client_version.
	ClientVersion = "ghstore/0.1.0"
)

// Kinds of log entries (Entry.Kind).
const (
	KindInitial = "initial_state"
	KindUpdate  = "update"
	KindReplace = "replace"
)

func jsonValid(b []byte) bool { return json.Valid(b) }

func uidLabel(id string) string { return uidPrefix + id }

func liveLabels(id string) []string { return []string{labelStore, labelObject, uidLabel(id)} }

func archivedLabels(id string) []string { return []string{labelArchived, labelStore, uidLabel(id)} }

// envelopeTimeLayout is RFC 3339 in UTC with microseconds, as gh-store stamps its envelopes
// (Python's isoformat); the fixed width keeps an envelope's size independent of the instant.
const envelopeTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// envelope builds a comment as gh-store writes it, 2-space indented, no trailing newline:
// {"_data": data, "_meta": {"client_version", "timestamp", "update_mode", "issue_number"}[, "type": "initial_state"]}.
func envelope(data []byte, mode string, issue int, at time.Time, initial bool) []byte {
	return indentJSON(envelopeCompact(data, mode, issue, at, initial), "")
}

// envelopeCompact is envelope before indenting (checkIndented measures it without indenting).
func envelopeCompact(data []byte, mode string, issue int, at time.Time, initial bool) []byte {
	var b bytes.Buffer
	b.WriteString(`{"_data":`)
	b.Write(data)
	b.WriteString(`,"_meta":{"client_version":`)
	b.Write(quote(ClientVersion))
	b.WriteString(`,"timestamp":`)
	b.Write(quote(at.UTC().Format(envelopeTimeLayout)))
	b.WriteString(`,"update_mode":`)
	b.Write(quote(mode))
	b.WriteString(`,"issue_number":`)
	b.WriteString(strconv.Itoa(issue))
	b.WriteString(`}`)
	if initial {
		b.WriteString(`,"type":"initial_state"`)
	}
	b.WriteString(`}`)
	return b.Bytes()
}

// parsedComment is what a comment says as a log entry.
type parsedComment struct {
	kind string // KindInitial, KindUpdate or KindReplace
	data *value // the initial state, the patch, or the whole new state
}

// parseComment reads a comment body. ok is false for comments that are not log entries: non-JSON
// text, JSON that is not an object, or an envelope whose _data is not an object.
//
// An envelope has `_data`; its `type` "initial_state" marks the initial state; its
// `_meta.update_mode` "replace" makes _data the whole new state (anything else is gh-store's
// "append", a deep merge). A bare JSON object without `_data` is a legacy update.
func parseComment(body string) (parsedComment, bool) {
	b := []byte(strings.TrimSpace(body))
	if !json.Valid(b) {
		return parsedComment{}, false
	}
	r := gjson.ParseBytes(b)
	if !r.IsObject() {
		return parsedComment{}, false
	}
	d := r.Get(`_data`)
	if !d.Exists() {
		return parsedComment{kind: KindUpdate, data: fromResult(r)}, true
	}
	if !d.IsObject() {
		return parsedComment{}, false
	}
	pc := parsedComment{kind: KindUpdate, data: fromResult(d)}
	if r.Get(`type`).String() == KindInitial {
		pc.kind = KindInitial
	} else if r.Get(`_meta.update_mode`).String() == "replace" {
		pc.kind = KindReplace
	}
	return pc, true
}

// objectID returns the id an issue's labels name (`UID:<id>`), and whether the issue is a live
// object's (labelled stored-object and not archived).
func objectID(labels []string) (id string, live bool) {
	var stored, archived bool
	for _, l := range labels {
		switch {
		case strings.EqualFold(l, labelObject):
			stored = true
		case strings.EqualFold(l, labelArchived):
			archived = true
		case id == "" && len(l) > len(uidPrefix) && strings.EqualFold(l[:len(uidPrefix)], uidPrefix):
			id = l[len(uidPrefix):]
		}
	}
	return id, stored && !archived && id != ""
}
