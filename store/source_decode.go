package store

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// The decoders of GitHub's REST list answers, straight from the answer's bytes (gjson) into the
// store's own types (source.go), reading only the fields the store reads: for a scan of thousands
// of issues much cheaper than a library's whole structs. Any source that has REST answers
// (go-github's, recorded traffic) decodes them here.

// errBadPage is a list answer that is not a JSON array of issues.
var errBadPage = errors.New("the answer is not a JSON array of issues")

// maxPageBytes bounds one page of the list: 100 issues of at most 65,536 characters of body
// each, 4 bytes a character at worst (escaped: 6), with room for the rest.
const maxPageBytes = 64 << 20

// decodeIssuePage reads one page of the issue list. The strings it returns share no memory
// with body, so that an object read from the page does not hold the whole page.
func decodeIssuePage(body string) ([]ghIssue, error) {
	if !gjson.Valid(body) {
		return nil, errBadPage
	}
	arr := gjson.Parse(body)
	if !arr.IsArray() {
		return nil, errBadPage
	}
	out := make([]ghIssue, 0, perPage)
	var bad error
	arr.ForEach(func(_, v gjson.Result) bool {
		if !v.IsObject() {
			bad = errBadPage
			return false
		}
		var li ghIssue
		v.ForEach(func(k, f gjson.Result) bool {
			switch k.Str {
			case "number":
				li.number = int(f.Int())
			case "state":
				li.state = known(f.Str, "open", "closed")
			case "body":
				li.body = strings.Clone(f.String()) // a copy already when it has escapes
			case "user":
				li.login = strings.Clone(f.Get("login").String())
			case "author_association":
				li.assoc = known(f.Str, "OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR", "NONE")
			case "labels":
				f.ForEach(func(_, l gjson.Result) bool {
					if l.IsObject() {
						l = l.Get("name")
					}
					li.labels = append(li.labels, strings.Clone(l.String()))
					return true
				})
			case "comments":
				li.comments = int(f.Int())
			case "created_at":
				li.createdAt, bad = parseListedTime(f)
			case "updated_at":
				li.updatedAt, bad = parseListedTime(f)
			case "pull_request":
				li.pull = f.Type != gjson.Null
			}
			return bad == nil
		})
		if bad == nil && li.number <= 0 {
			bad = errBadPage
		}
		if bad != nil {
			return false
		}
		out = append(out, li)
		return true
	})
	if bad != nil {
		return nil, bad
	}
	return out, nil
}

// known returns s as the one of names it equals (no memory shared with s), else a copy of s.
func known(s string, names ...string) string {
	for _, n := range names {
		if s == n {
			return n
		}
	}
	return strings.Clone(s)
}

// parseListedTime reads a timestamp of the list (RFC 3339; null is the zero time).
func parseListedTime(f gjson.Result) (time.Time, error) {
	if f.Type == gjson.Null {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, f.Str)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: a timestamp %q", errBadPage, f.Str)
	}
	return t, nil
}

func joinComma(ss []string) string {
	var b bytes.Buffer
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s)
	}
	return b.String()
}

// decodeCommentPage reads one page of the repository's comment stream (each comment names its
// issue); its strings share no memory with body.
func decodeCommentPage(body string) ([]ghComment, error) {
	if !gjson.Valid(body) {
		return nil, errBadPage
	}
	arr := gjson.Parse(body)
	if !arr.IsArray() {
		return nil, errBadPage
	}
	var out []ghComment
	var bad error
	arr.ForEach(func(_, v gjson.Result) bool {
		if !v.IsObject() {
			bad = errBadPage
			return false
		}
		var c ghComment
		v.ForEach(func(k, f gjson.Result) bool {
			switch k.Str {
			case "id":
				c.id = f.Int()
			case "issue_url":
				u := f.String()
				c.issue, _ = strconv.Atoi(u[strings.LastIndexByte(u, '/')+1:])
			case "user":
				c.login = strings.Clone(f.Get("login").String())
			case "author_association":
				c.assoc = known(f.Str, "OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR", "NONE")
			case "body":
				c.body = strings.Clone(f.String())
			case "created_at":
				c.createdAt, bad = parseListedTime(f)
			case "updated_at":
				_, bad = parseListedTime(f) // not read, but a bad one makes a bad page
			case "reactions":
				c.plusOne = int(f.Get("+1").Int())
			}
			return bad == nil
		})
		if bad == nil && (c.id <= 0 || c.issue <= 0) {
			bad = fmt.Errorf("%w: a comment without an id or an issue", errBadPage)
		}
		if bad != nil {
			return false
		}
		out = append(out, c)
		return true
	})
	if bad != nil {
		return nil, bad
	}
	return out, nil
}
