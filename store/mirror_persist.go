package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A mirror kept on disk (issue 15, point 3: the DSN's mirror_dir), so that a new process starts
// warm: it loads the file, and its first refresh walks from the saved since. A fresh token (an
// Actions job's GITHUB_TOKEN) makes every old ETag useless, so that walk is answered 200, but it
// lists only the issues updated since: ≈ 1 + ceil(changed/100) requests, plus the log of each
// open object that changed.
//
// The file holds the mirror's since and every issue as mirrored, objects included. It is one
// JSON document per repository (mirrorFileName), written whole to a temporary file and renamed
// into place, so a reader never sees half a file. It names the server, the repository and what
// decided trust (the token's login and Options.Trusted): a file that differs in any of them,
// that is of another format, or that cannot be read at all is ignored (the mirror then loads
// from GitHub, as without a file), never an error of the read that loads it.
//
// mirror.walkToNow loads the file before its first walk (when Options.MirrorDir names a directory) and
// saves it after each refresh that changed something.

// mirrorFileFormat names the file's layout; another value is ignored.
const mirrorFileFormat = "ghstore-mirror/1"

// mirrorFile is the file's JSON.
type mirrorFile struct {
	Format     string          `json:"format"`
	Server     string          `json:"server"`
	Repository string          `json:"repository"`
	Trust      string          `json:"trust"`
	Since      time.Time       `json:"since"`
	Issues     []mirroredIssue `json:"issues"`
}

// mirroredIssue is one mirrored entry in the file.
type mirroredIssue struct {
	Number    int       `json:"number"`
	ID        string    `json:"id,omitempty"`
	Live      bool      `json:"live,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
	Comments  int       `json:"comments"`
	State     string    `json:"state"`
	Body      string    `json:"body"`
	Labels    string    `json:"labels"`
	Exact     bool      `json:"exact,omitempty"`
	Corrupt   bool      `json:"corrupt,omitempty"` // the object could not be read (ErrCorrupt)
	Object    *savedObj `json:"object,omitempty"`
}

// savedObj is an Object in the file.
type savedObj struct {
	ID        string          `json:"id"`
	Data      json.RawMessage `json:"data"`
	Issue     int             `json:"issue"`
	Version   int             `json:"version"`
	Pending   int             `json:"pending,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// mirrorFileName is the repository's file in dir.
func (s *storeImpl) mirrorFileName(dir string) string {
	return filepath.Join(dir, url.PathEscape(s.owner)+"_"+url.PathEscape(s.repo)+".mirror.json")
}

// mirrorServer is the server the mirror is of.
func (s *storeImpl) mirrorServer() string {
	return s.gh.server()
}

// trustFingerprint is what decided which issues are live objects: the token's login (once known)
// and the trusted logins, case-folded and sorted.
func (s *storeImpl) trustFingerprint() string {
	listed := make([]string, 0, len(s.trust.listed))
	for l := range s.trust.listed {
		listed = append(listed, strings.ToLower(l))
	}
	slices.Sort(listed)
	return strings.ToLower(s.knownLogin()) + "|" + strings.Join(listed, ",")
}

// save writes the mirror to dir (created if missing).
func (m *mirror) save(dir string) error {
	s := m.s
	m.mu.RLock()
	f := mirrorFile{
		Format:     mirrorFileFormat,
		Server:     s.mirrorServer(),
		Repository: s.owner + "/" + s.repo,
		Trust:      s.trustFingerprint(),
		Since:      m.since,
		Issues:     make([]mirroredIssue, 0, len(m.issues)),
	}
	for _, e := range m.issues {
		f.Issues = append(f.Issues, savedIssue(e))
	}
	m.mu.RUnlock()
	slices.SortFunc(f.Issues, func(a, b mirroredIssue) int { return a.Number - b.Number })
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("ghstore: saving the mirror: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("ghstore: saving the mirror: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".mirror-*.tmp")
	if err != nil {
		return fmt.Errorf("ghstore: saving the mirror: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	_, werr := tmp.Write(b)
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), s.mirrorFileName(dir))
	}
	if werr != nil {
		return fmt.Errorf("ghstore: saving the mirror: %w", werr)
	}
	return nil
}

func savedIssue(e *mirrored) mirroredIssue {
	out := mirroredIssue{
		Number: e.number, ID: e.id, Live: e.live, UpdatedAt: e.updatedAt, Comments: e.comments,
		State: e.state, Body: e.body, Labels: e.labels, Exact: e.exact, Corrupt: e.err != nil,
	}
	if o := e.obj; o != nil && e.err == nil {
		out.Object = &savedObj{ID: o.ID, Data: o.Data, Issue: o.Issue, Version: o.Version, Pending: o.Pending,
			CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	}
	return out
}

// errMirrorFileIgnored is why a file was not loaded (wrapped with what was wrong).
var errMirrorFileIgnored = errors.New("ghstore: the mirror file is ignored")

// load puts the mirror saved in dir in place of an empty mirror, and reports whether it did.
// A missing file is not an error; a file that is not this mirror's is ignored, with the reason
// (wrapping errMirrorFileIgnored) for a log. The loaded mirror is not "loaded" in the refresh
// sense: the first read still refreshes it, from the saved since.
func (m *mirror) load(dir string) (bool, error) {
	s := m.s
	b, err := os.ReadFile(s.mirrorFileName(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%w: %w", errMirrorFileIgnored, err)
	}
	var f mirrorFile
	if err := json.Unmarshal(b, &f); err != nil {
		return false, fmt.Errorf("%w: it is not JSON: %w", errMirrorFileIgnored, err)
	}
	switch {
	case f.Format != mirrorFileFormat:
		return false, fmt.Errorf("%w: format %q, want %q", errMirrorFileIgnored, f.Format, mirrorFileFormat)
	case f.Server != s.mirrorServer() || f.Repository != s.owner+"/"+s.repo:
		return false, fmt.Errorf("%w: it mirrors %s at %s", errMirrorFileIgnored, f.Repository, f.Server)
	case f.Trust != s.trustFingerprint():
		return false, fmt.Errorf("%w: it was made with other trusted logins", errMirrorFileIgnored)
	}
	entries := make([]*mirrored, 0, len(f.Issues))
	for _, si := range f.Issues {
		e, err := loadedIssue(si)
		if err != nil {
			return false, err
		}
		entries = append(entries, e)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.issues) > 0 || m.loaded {
		return false, nil // a refresh got there first: what it has is newer
	}
	m.since = f.Since
	for _, e := range entries {
		m.applyLocked(e)
	}
	return true, nil
}

func loadedIssue(si mirroredIssue) (*mirrored, error) {
	if si.Number <= 0 {
		return nil, fmt.Errorf("%w: an issue numbered %d", errMirrorFileIgnored, si.Number)
	}
	e := &mirrored{
		number: si.Number, id: si.ID, live: si.Live, updatedAt: si.UpdatedAt, comments: si.Comments,
		state: si.State, body: si.Body, labels: si.Labels, exact: si.Exact,
	}
	switch {
	case !si.Live:
	case si.Corrupt:
		e.err = corruptBody(si.Number)
	case si.Object == nil || !json.Valid(si.Object.Data):
		return nil, fmt.Errorf("%w: live issue #%d has no object", errMirrorFileIgnored, si.Number)
	default:
		o := si.Object
		e.obj = &Object{ID: o.ID, Data: o.Data, Issue: o.Issue, Version: o.Version, Pending: o.Pending,
			CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
			seen: issueSeen{known: true, body: si.Body, comments: si.Comments}}
	}
	return e, nil
}
