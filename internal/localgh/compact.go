package localgh

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
)

// The journal is append-only, so it grows with every write, while the state it rebuilds grows
// only with what is kept: a store whose objects are updated a thousand times each holds a
// thousand records per object, and every Open replays them all. Compaction rewrites the journal
// as the shortest list of mutations that rebuilds the same state (every user, repository,
// label, issue, live comment and reaction, with their ids and times), at Open, when the journal
// holds more than twice as many records as that list and at least compactSlack more.
//
// Two guards keep it from ever losing or changing data:
//   - the new list is replayed into a fresh state first and compared with the state the old
//     journal built; if they differ in anything, the journal is left as it was;
//   - the new journal is written to a temporary file, synced, and renamed over the old one
//     (then the directory is synced), so a crash at any point leaves either the whole old
//     journal or the whole new one. A temporary file left by a crash is removed at Open.

// compactSlack is how many records past twice the state's size a journal may hold before Open
// compacts it: small journals are not worth rewriting.
const compactSlack = 256

// compactName is the temporary file a compaction writes before it renames it to journalName.
const compactName = "journal.log.compact"

// dump is the list of mutations that rebuilds st exactly: replaying it into a new state gives a
// state equal to st.
func (st *state) dump() []mutation {
	var ms []mutation
	users := make([]*user, 0, len(st.users))
	for _, u := range st.users {
		users = append(users, u)
	}
	sort.Slice(users, func(i, j int) bool { return users[i].ID < users[j].ID })
	for _, u := range users {
		ms = append(ms, mutation{Op: opAddUser, Login: u.Login, ID: u.ID, At: u.CreatedAt})
	}
	hashes := make([]string, 0, len(st.tokens))
	for h := range st.tokens {
		hashes = append(hashes, h)
	}
	sort.Strings(hashes)
	for _, h := range hashes {
		u := st.users[st.tokens[h]]
		if u == nil {
			continue // a token of no user: replay could not rebuild it, and the check says so
		}
		ms = append(ms, mutation{Op: opAddUser, Login: u.Login, ID: u.ID, At: u.CreatedAt, TokenHash: h})
	}

	repos := make([]*repo, 0, len(st.repos))
	for _, r := range st.repos {
		repos = append(repos, r)
	}
	sort.Slice(repos, func(i, j int) bool { return repos[i].ID < repos[j].ID })
	for _, r := range repos {
		ms = append(ms, r.dump()...)
	}
	return append(ms, mutation{Op: opNextIDs, ID: st.nextID, NextUserID: st.nextUserID})
}

// dump is the mutations that rebuild r, after its owner and collaborators exist.
func (r *repo) dump() []mutation {
	name := r.Owner + "/" + r.Name
	ms := []mutation{{Op: opCreateRepo, Repo: name, ID: r.ID, Private: r.Private, At: r.CreatedAt}}
	if !r.IssuesEnabled {
		ms = append(ms, mutation{Op: opSetIssues, Repo: name, Enabled: false})
	}
	logins := make([]string, 0, len(r.roles))
	for l := range r.roles {
		logins = append(logins, l)
	}
	sort.Strings(logins)
	for _, l := range logins {
		ms = append(ms, mutation{Op: opSetRole, Repo: name, Login: l, Role: r.roles[l]})
	}
	for _, l := range r.labels {
		ms = append(ms, mutation{Op: opCreateLabel, Repo: name, ID: l.ID, Name: l.Name, Color: l.Color, Description: l.Description, Default: l.Default})
	}
	for _, is := range r.issues {
		ms = append(ms, is.dump(name)...)
	}
	return ms
}

// dump is the mutations that rebuild is in repository name: its creation, its reactions and
// live comments, its state, and last its update time (which every other mutation moves).
func (is *issue) dump(name string) []mutation {
	title := is.Title
	labels := make([]string, len(is.Labels))
	for i, l := range is.Labels {
		labels[i] = l.Name
	}
	create := mutation{Op: opCreateIssue, Repo: name, ID: is.ID, Number: is.Number, Title: &title, Login: is.User, At: is.CreatedAt, Labels: &labels}
	if len(is.Assignees) > 0 {
		assignees := append([]string(nil), is.Assignees...)
		create.Assignees = &assignees
	}
	if is.Body != nil && *is.Body != "" {
		body := *is.Body
		create.Body = &body
	}
	ms := []mutation{create}
	if is.Body != nil && *is.Body == "" { // an empty body set by an edit is "", not null
		empty := ""
		ms = append(ms, mutation{Op: opUpdateIssue, Repo: name, Number: is.Number, Body: &empty, At: is.CreatedAt})
	}
	for _, x := range is.Reactions {
		ms = append(ms, mutation{Op: opCreateReaction, Repo: name, Target: targetIssue, TargetID: int64(is.Number), ID: x.ID, Login: x.User, Content: x.Content, At: x.CreatedAt})
	}
	for _, c := range is.Comments {
		body := c.Body
		ms = append(ms, mutation{Op: opCreateComment, Repo: name, Number: is.Number, ID: c.ID, Body: &body, Login: c.User, At: c.CreatedAt})
		if !c.UpdatedAt.Equal(c.CreatedAt) {
			ms = append(ms, mutation{Op: opUpdateComment, Repo: name, TargetID: c.ID, Body: &body, At: c.UpdatedAt})
		}
		for _, x := range c.Reactions {
			ms = append(ms, mutation{Op: opCreateReaction, Repo: name, Target: targetComment, TargetID: c.ID, ID: x.ID, Login: x.User, Content: x.Content, At: x.CreatedAt})
		}
	}
	closed, open := stateClosed, stateOpen
	switch {
	case is.State == stateClosed && is.ClosedAt != nil:
		ms = append(ms, mutation{Op: opUpdateIssue, Repo: name, Number: is.Number, State: &closed, StateReason: is.StateReason, Login: is.ClosedBy, At: *is.ClosedAt})
	case is.State == stateOpen && is.StateReason != nil:
		// Reopened: closing and opening again is how the reason came to be.
		ms = append(ms,
			mutation{Op: opUpdateIssue, Repo: name, Number: is.Number, State: &closed, At: is.UpdatedAt},
			mutation{Op: opUpdateIssue, Repo: name, Number: is.Number, State: &open, At: is.UpdatedAt})
	}
	if is.Locked {
		ms = append(ms, mutation{Op: opLockIssue, Repo: name, Number: is.Number, LockReason: is.LockReason, At: is.UpdatedAt})
	}
	return append(ms, mutation{Op: opUpdateIssue, Repo: name, Number: is.Number, At: is.UpdatedAt})
}

// normalise makes every empty list of the state nil: a list emptied by deletions and one that
// never had an element mean the same (both render as []), and only then can a rebuilt state be
// compared with the original one.
func (st *state) normalise() {
	for _, r := range st.repos {
		r.labels = nilIfEmpty(r.labels)
		r.issues = nilIfEmpty(r.issues)
		for _, is := range r.issues {
			is.Labels = nilIfEmpty(is.Labels)
			is.Assignees = nilIfEmpty(is.Assignees)
			is.Comments = nilIfEmpty(is.Comments)
			is.Reactions = nilIfEmpty(is.Reactions)
			for _, c := range is.Comments {
				c.Reactions = nilIfEmpty(c.Reactions)
			}
		}
	}
}

func nilIfEmpty[T any](list []T) []T {
	if len(list) == 0 {
		return nil
	}
	return list
}

// compactJournal rewrites dir's journal j as st.dump() when mutations (the journal's count) is
// more than twice the dump and compactSlack more, and the dump rebuilds st exactly. It returns
// the journal to append to from now on: j, or the new one (j closed). A compaction that fails
// before its rename leaves the old journal in use (it is whole, and was only long); an error is
// returned only when the journal can no longer be trusted to be durable.
func compactJournal(dir string, j *journal, mutations int, st *state) (*journal, error) {
	ms := st.dump()
	if mutations <= 2*len(ms)+compactSlack {
		return j, nil
	}
	rebuilt := newState()
	for _, m := range ms {
		rebuilt.apply(m)
	}
	st.normalise()
	rebuilt.normalise()
	if !reflect.DeepEqual(rebuilt, st) {
		return j, nil // something the dump cannot say: keep the whole history
	}
	records := make([][]mutation, len(ms))
	for i := range ms {
		records[i] = ms[i : i+1]
	}
	tmp, size, err := writeTemp(j.fs, dir, records)
	if err != nil {
		return j, nil
	}
	return swapJournal(j, dir, tmp, size)
}

// replaceJournal makes records the whole journal of dir, through a temporary file and a
// rename; the journal file must not be open.
func replaceJournal(fsys fileSystem, dir string, records [][]mutation) (*journal, error) {
	tmp, size, err := writeTemp(fsys, dir, records)
	if err != nil {
		return nil, fmt.Errorf("localgh: rewrite the journal in the current format: %w", err)
	}
	if err := fsys.Rename(filepath.Join(dir, compactName), filepath.Join(dir, journalName)); err != nil {
		tmp.Close()
		fsys.Remove(filepath.Join(dir, compactName))
		return nil, fmt.Errorf("localgh: rewrite the journal in the current format: %w", err)
	}
	if err := fsys.SyncDir(dir); err != nil {
		tmp.Close()
		return nil, err
	}
	return &journal{fs: fsys, f: tmp, size: size}, nil
}

// writeTemp writes records as a whole journal into dir's compactName, synced, and returns it
// open.
func writeTemp(fsys fileSystem, dir string, records [][]mutation) (file, int64, error) {
	buf := []byte(fileHeader)
	for _, ms := range records {
		var err error
		if buf, err = encodeRecord(buf, ms); err != nil {
			return nil, 0, err
		}
	}
	tmp := filepath.Join(dir, compactName)
	nf, err := fsys.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, filePerm)
	if err != nil {
		return nil, 0, err
	}
	if _, err = nf.WriteAt(buf, 0); err == nil {
		err = nf.Sync()
	}
	if err != nil {
		nf.Close()
		fsys.Remove(tmp)
		return nil, 0, err
	}
	return nf, int64(len(buf)), nil
}

// swapJournal renames the synced temporary journal nf over j's file.
func swapJournal(j *journal, dir string, nf file, size int64) (*journal, error) {
	tmp, path := filepath.Join(dir, compactName), filepath.Join(dir, journalName)
	// Windows renames over no open file: close the old journal first, and open it again if the
	// rename fails.
	j.f.Close()
	if err := j.fs.Rename(tmp, path); err != nil {
		nf.Close()
		j.fs.Remove(tmp)
		f, err := j.fs.OpenFile(path, os.O_RDWR, filePerm)
		if err != nil {
			return nil, fmt.Errorf("localgh: open journal: %w", err)
		}
		j.f = f
		return j, nil
	}
	// The new journal is the journal now; the rename must be durable before anything is
	// appended to it, or a crash could bring back the old file without those appends.
	if err := j.fs.SyncDir(dir); err != nil {
		nf.Close()
		return nil, err
	}
	return &journal{fs: j.fs, f: nf, size: size}, nil
}

// removeCompactLeftover deletes a compaction's temporary file that a crash left behind; the
// journal itself is whole (the rename had not happened).
func removeCompactLeftover(fsys fileSystem, dir string) error {
	err := fsys.Remove(filepath.Join(dir, compactName))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("localgh: remove %s: %w", compactName, err)
	}
	return nil
}
