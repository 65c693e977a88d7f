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
	// KindInitial is the first comment: `"type": "initial_state"`, its _data the initial state.
	KindInitial = "initial_state"
	// KindUpdate is an update whose _data is a deep-merge patch (update_mode "append", or a
	// legacy bare-JSON comment).
	KindUpdate = "update"
	// KindReplace is an update whose _data is the whole new state (update_mode "replace").
	KindReplace = "replace"
	// KindCheckpoint is a comment holding the whole state folded through an earlier comment
	// (DESIGN.md §3b): readers fold from the newest one instead of from the initial state.
	KindCheckpoint = "checkpoint"
)

func jsonValid(b []byte) bool { return json.Valid(b) }

func uidLabel(id string) string { return uidPrefix + id }

func liveLabels(id string) []string { return []string{labelStore, labelObject, uidLabel(id)} }

func archivedLabels(id string) []string { return []string{labelArchived, labelStore, uidLabel(id)} }

// envelopeTimeLayout is RFC 3339 in UTC with microseconds, as gh-store stamps its envelopes
// (Python's isoformat); the fixed width keeps an envelope's size independent of the instant.
const envelopeTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// envelope builds a comment as gh-store writes it, 2-space indented, no trailing newline:
// {"_data": data, "_meta": {"client_version", "timestamp", "update_mode", "issue_number"[, "base"]}[, "type": "initial_state"]}.
func envelope(data []byte, mode string, issue int, at time.Time, initial bool) []byte {
	return indentJSON(envelopeCompact(data, mode, issue, at, initial), "")
}

// envelopeCompact is envelope before indenting (checkIndented measures it without indenting).
func envelopeCompact(data []byte, mode string, issue int, at time.Time, initial bool) []byte {
	typ := ""
	if initial {
		typ = KindInitial
	}
	return envelopeOf(envelopeFields{data: data, mode: mode, issue: issue, at: at, typ: typ})
}

// envelopeFields are what an envelope says; the zero values of base, through and version are
// left out.
type envelopeFields struct {
	data    []byte
	mode    string
	issue   int
	at      time.Time
	typ     string // "", KindInitial or KindCheckpoint
	base    string // the digest of the state an inline update was computed from (§3a)
	through int64  // a checkpoint's last folded comment (§3b)
	version int    // a checkpoint's version
}

// baseEnvelope is an inline update comment: an envelope naming the digest of its base (§3a).
// gh-store ignores _meta keys it does not know (checked in its 0.10.3 source).
func baseEnvelope(data []byte, mode string, issue int, at time.Time, base string) []byte {
	return indentJSON(envelopeOf(envelopeFields{data: data, mode: mode, issue: issue, at: at, base: base}), "")
}

// checkpointEnvelope is a checkpoint comment: the whole state, folded through comment through.
func checkpointEnvelope(state []byte, issue int, at time.Time, through int64, version int) []byte {
	return indentJSON(envelopeOf(envelopeFields{data: state, mode: "replace", issue: issue, at: at,
		typ: KindCheckpoint, through: through, version: version}), "")
}

func envelopeOf(f envelopeFields) []byte {
	var b bytes.Buffer
	b.WriteString(`{"_data":`)
	b.Write(f.data)
	b.WriteString(`,"_meta":{"client_version":`)
	b.Write(quote(ClientVersion))
	b.WriteString(`,"timestamp":`)
	b.Write(quote(f.at.UTC().Format(envelopeTimeLayout)))
	b.WriteString(`,"update_mode":`)
	b.Write(quote(f.mode))
	b.WriteString(`,"issue_number":`)
	b.WriteString(strconv.Itoa(f.issue))
	if f.base != "" {
		b.WriteString(`,"base":`)
		b.Write(quote(f.base))
	}
	if f.through != 0 {
		b.WriteString(`,"through":`)
		b.WriteString(strconv.FormatInt(f.through, 10))
		b.WriteString(`,"version":`)
		b.WriteString(strconv.Itoa(f.version))
	}
	b.WriteString(`}`)
	if f.typ != "" {
		b.WriteString(`,"type":`)
		b.Write(quote(f.typ))
	}
	b.WriteString(`}`)
	return b.Bytes()
}

// parsedComment is what a comment says as a log entry.
type parsedComment struct {
	kind    string // KindInitial, KindUpdate, KindReplace or KindCheckpoint
	data    *value // the initial state, the patch, or the whole new state
	base    string // _meta.base of an inline update: the digest its change was computed from
	through int64  // a checkpoint's _meta.through
	version int    // a checkpoint's _meta.version
}

// parseComment reads a comment body. ok is false for comments that are not log entries: non-JSON
// text, JSON that is not an object, or an envelope whose _data is not an object.
//
// An envelope has `_data`; its `type` "initial_state" marks the initial state, "checkpoint" a
// checkpoint (with `_meta.through` and `_meta.version`); `_meta.base` is an inline update's base
// digest; its `_meta.update_mode` "replace" makes _data the whole new state (anything else is gh-store's
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
	switch {
	case r.Get(`type`).String() == KindInitial:
		pc.kind = KindInitial
	case r.Get(`type`).String() == KindCheckpoint:
		through, version := r.Get(`_meta.through`), r.Get(`_meta.version`)
		if through.Type != gjson.Number || through.Int() <= 0 || version.Type != gjson.Number || version.Int() < 1 {
			return parsedComment{}, false // a checkpoint that cannot say what it holds is no entry
		}
		pc.kind, pc.through, pc.version = KindCheckpoint, through.Int(), int(version.Int())
	case r.Get(`_meta.update_mode`).String() == "replace":
		pc.kind = KindReplace
	}
	if base := r.Get(`_meta.base`); base.Type == gjson.String && pc.kind != KindInitial && pc.kind != KindCheckpoint {
		pc.base = base.String()
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
