package localgh

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"sort"
	"strings"
	"time"
)

// firstID is where global ids start: real GitHub ids are past 2^32, and clients must not fit them in 32 bits.
const firstID int64 = 4_300_000_001

// firstUserID is the id of the first user; user ids are small and stable, like the fixtures' 1001.
const firstUserID int64 = 1001

// state is the whole in-memory model. Every change to it goes through apply(mutation), so that
// replaying the journal rebuilds exactly what was acknowledged.
type state struct {
	nextID     int64
	nextUserID int64
	users      map[string]*user  // by lower-case login
	tokens     map[string]string // tokenHash(token) → lower-case login
	repos      map[string]*repo  // by lower-case "owner/name"
}

type user struct {
	Login     string
	ID        int64
	CreatedAt time.Time
}

type repo struct {
	ID            int64
	Owner, Name   string
	Private       bool
	IssuesEnabled bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
	roles         map[string]Role // lower-case login → role
	issues        []*issue        // issues[n-1] is issue number n
	labels        []*label        // creation order
	comments      map[int64]*comment
}

type issue struct {
	ID          int64
	Number      int
	Title       string
	Body        *string
	User        string // login
	State       string // open | closed
	StateReason *string
	Labels      []*label
	Assignees   []string // logins, in the order given
	Locked      bool
	LockReason  *string    // active_lock_reason, when locked with one
	Comments    []*comment // live comments, ascending id
	Reactions   []*reaction
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    *time.Time
	ClosedBy    string
}

type comment struct {
	ID        int64
	Issue     *issue
	Body      string
	User      string
	Reactions []*reaction
	CreatedAt time.Time
	UpdatedAt time.Time
}

type reaction struct {
	ID        int64
	User      string
	Content   string
	CreatedAt time.Time
}

type label struct {
	ID          int64
	Name        string
	Color       string
	Description *string
	Default     bool
}

// defaultLabels are the nine labels GitHub gives every new repository (see gh-store-wire/labels.json).
var defaultLabels = []struct{ name, color, description string }{
	{"bug", "d73a4a", "Something isn't working"},
	{"documentation", "0075ca", "Improvements or additions to documentation"},
	{"duplicate", "cfd3d7", "This issue or pull request already exists"},
	{"enhancement", "a2eeef", "New feature or request"},
	{"good first issue", "7057ff", "Good for newcomers"},
	{"help wanted", "008672", "Extra attention is needed"},
	{"invalid", "e4e669", "This doesn't seem right"},
	{"question", "d876e3", "Further information is requested"},
	{"wontfix", "ffffff", "This will not be worked on"},
}

// reactionContents are the eight reactions GitHub knows, in its rollup order.
var reactionContents = []string{"+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"}

func validReaction(c string) bool {
	for _, k := range reactionContents {
		if k == c {
			return true
		}
	}
	return false
}

func newState() *state {
	return &state{
		nextID:     firstID,
		nextUserID: firstUserID,
		users:      map[string]*user{},
		tokens:     map[string]string{},
		repos:      map[string]*repo{},
	}
}

// tokenKey is a token's key in maps that live only in memory (per-token budgets and ETags):
// its bare SHA-256, never written anywhere.
func tokenKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// tokenHash is how a token is kept (in the state and the journal): "s1:<salt>:<SHA-256 of salt
// and token>", hex, with a random 16-byte salt of its own, so that the journal says nothing of
// the token to whoever reads it, not even whether two users share one. Earlier releases kept the
// bare hex SHA-256 of the token; tokenMatches still recognises those.
func tokenHash(token string) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic("localgh: no randomness for a token's salt: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return saltedHash(salt, token)
}

const tokenHashPrefix = "s1:"

func saltedHash(salt []byte, token string) string {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(token))
	return tokenHashPrefix + hex.EncodeToString(salt) + ":" + hex.EncodeToString(h.Sum(nil))
}

// tokenMatches reports whether hash is token's, in constant time for a hash of the same form.
func tokenMatches(hash, token string) bool {
	if rest, ok := strings.CutPrefix(hash, tokenHashPrefix); ok {
		saltHex, _, _ := strings.Cut(rest, ":")
		salt, err := hex.DecodeString(saltHex)
		if err != nil {
			return false
		}
		return subtle.ConstantTimeCompare([]byte(saltedHash(salt, token)), []byte(hash)) == 1
	}
	legacy := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare([]byte(hex.EncodeToString(legacy[:])), []byte(hash)) == 1
}

// tokenOwner is the lower-case login whose token this is, or "".
func (st *state) tokenOwner(token string) string {
	for hash, login := range st.tokens {
		if tokenMatches(hash, token) {
			return login
		}
	}
	return ""
}

func repoKey(owner, name string) string { return strings.ToLower(owner + "/" + name) }

func (st *state) repo(owner, name string) *repo { return st.repos[repoKey(owner, name)] }

// role is what login is to r; the owner is always OWNER.
func (r *repo) role(login string) Role {
	if login == "" {
		return Stranger
	}
	if strings.EqualFold(login, r.Owner) {
		return Owner
	}
	if role, ok := r.roles[strings.ToLower(login)]; ok {
		return role
	}
	return Stranger
}

func (r *repo) canPush(login string) bool {
	switch r.role(login) {
	case Owner, Collaborator, Member:
		return true
	}
	return false
}

func (r *repo) canRead(login string) bool { return !r.Private || r.canPush(login) }

func (r *repo) issue(number int) *issue {
	if number < 1 || number > len(r.issues) {
		return nil
	}
	return r.issues[number-1]
}

func (r *repo) label(name string) *label {
	for _, l := range r.labels {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

func (r *repo) openIssues() int {
	n := 0
	for _, is := range r.issues {
		if is.State == "open" {
			n++
		}
	}
	return n
}

// mutation is one applied change, as the journal records it. Every value the change needs (ids,
// times, the acting login) is decided before it is recorded, so applying it is deterministic.
type mutation struct {
	Op          string    `json:"op"`
	At          time.Time `json:"at,omitempty"`
	ID          int64     `json:"id,omitempty"`
	Login       string    `json:"login,omitempty"`
	TokenHash   string    `json:"token_hash,omitempty"`
	Repo        string    `json:"repo,omitempty"` // owner/name
	Private     bool      `json:"private,omitempty"`
	Enabled     bool      `json:"enabled,omitempty"`
	Role        Role      `json:"role,omitempty"`
	Number      int       `json:"number,omitempty"`
	Title       *string   `json:"title,omitempty"`
	Body        *string   `json:"body,omitempty"`
	ClearBody   bool      `json:"clear_body,omitempty"`
	State       *string   `json:"state,omitempty"`
	StateReason *string   `json:"state_reason,omitempty"`
	Labels      *[]string `json:"labels,omitempty"`
	Assignees   *[]string `json:"assignees,omitempty"`
	LockReason  *string   `json:"lock_reason,omitempty"`
	Name        string    `json:"name,omitempty"`
	NewName     string    `json:"new_name,omitempty"`
	Color       string    `json:"color,omitempty"`
	Description *string   `json:"description,omitempty"`
	Default     bool      `json:"default,omitempty"`
	Content     string    `json:"content,omitempty"`
	Target      string    `json:"target,omitempty"` // "issue" or "comment"
	TargetID    int64     `json:"target_id,omitempty"`
	NextUserID  int64     `json:"next_user_id,omitempty"`
}

const (
	opAddUser         = "add_user"
	opCreateRepo      = "create_repo"
	opSetRole         = "set_role"
	opSetIssues       = "set_issues"
	opCreateLabel     = "create_label"
	opUpdateLabel     = "update_label"
	opDeleteLabel     = "delete_label"
	opCreateIssue     = "create_issue"
	opUpdateIssue     = "update_issue"
	opCreateComment   = "create_comment"
	opUpdateComment   = "update_comment"
	opDeleteComment   = "delete_comment"
	opCreateReaction  = "create_reaction"
	opDeleteReaction  = "delete_reaction"
	opNextIDs         = "next_ids" // a compacted journal's last record: the id counters, past any deleted id
	opLockIssue       = "lock_issue"
	opUnlockIssue     = "unlock_issue"
	targetIssue       = "issue"
	targetComment     = "comment"
	stateOpen         = "open"
	stateClosed       = "closed"
	reasonCompleted   = "completed"
	reasonReopened    = "reopened"
	autoLabelColor    = "ededed"
	maxBodyChars      = 65536
	maxLabelNameChars = 50
	maxTitleChars     = 256
)

func (st *state) seeID(id int64) {
	if id >= st.nextID {
		st.nextID = id + 1
	}
}

// apply makes one mutation. It never fails on a mutation that was validated against the same
// state; on a journal that does not fit (it cannot happen unless the file was edited) it skips.
func (st *state) apply(m mutation) {
	var r *repo
	if m.Repo != "" {
		r = st.repos[strings.ToLower(m.Repo)]
	}
	switch m.Op {
	case opAddUser:
		key := strings.ToLower(m.Login)
		if _, ok := st.users[key]; !ok {
			st.users[key] = &user{Login: m.Login, ID: m.ID, CreatedAt: m.At}
			if m.ID >= st.nextUserID {
				st.nextUserID = m.ID + 1
			}
		}
		if m.TokenHash != "" {
			st.tokens[m.TokenHash] = key
		}
	case opCreateRepo:
		if r != nil {
			return
		}
		owner, name, _ := strings.Cut(m.Repo, "/")
		st.seeID(m.ID)
		st.repos[strings.ToLower(m.Repo)] = &repo{
			ID: m.ID, Owner: owner, Name: name, Private: m.Private, IssuesEnabled: true,
			CreatedAt: m.At, UpdatedAt: m.At, roles: map[string]Role{}, comments: map[int64]*comment{},
		}
	case opSetRole:
		if r != nil {
			r.roles[strings.ToLower(m.Login)] = m.Role
		}
	case opSetIssues:
		if r != nil {
			r.IssuesEnabled = m.Enabled
		}
	case opCreateLabel:
		if r == nil || r.label(m.Name) != nil {
			return
		}
		st.seeID(m.ID)
		r.labels = append(r.labels, &label{ID: m.ID, Name: m.Name, Color: m.Color, Description: m.Description, Default: m.Default})
	case opUpdateLabel:
		if r == nil {
			return
		}
		if l := r.label(m.Name); l != nil {
			if m.NewName != "" {
				l.Name = m.NewName
			}
			if m.Color != "" {
				l.Color = m.Color
			}
			if m.Description != nil {
				l.Description = m.Description
			}
		}
	case opDeleteLabel:
		if r == nil {
			return
		}
		l := r.label(m.Name)
		if l == nil {
			return
		}
		r.labels = removeLabel(r.labels, l)
		for _, is := range r.issues {
			is.Labels = removeLabel(is.Labels, l)
		}
	case opCreateIssue:
		if r == nil || m.Number != len(r.issues)+1 {
			return
		}
		st.seeID(m.ID)
		is := &issue{ID: m.ID, Number: m.Number, User: m.Login, State: stateOpen, CreatedAt: m.At, UpdatedAt: m.At}
		if m.Title != nil {
			is.Title = *m.Title
		}
		if m.Body != nil && *m.Body != "" {
			b := *m.Body
			is.Body = &b
		}
		if m.Labels != nil {
			is.Labels = r.resolveLabels(*m.Labels)
		}
		if m.Assignees != nil {
			is.Assignees = append([]string(nil), *m.Assignees...)
		}
		r.issues = append(r.issues, is)
	case opUpdateIssue:
		if r == nil {
			return
		}
		is := r.issue(m.Number)
		if is == nil {
			return
		}
		if m.Title != nil {
			is.Title = *m.Title
		}
		if m.ClearBody {
			is.Body = nil
		} else if m.Body != nil {
			b := *m.Body
			is.Body = &b
		}
		if m.State != nil {
			switch {
			case *m.State == stateClosed && is.State != stateClosed:
				at := m.At
				is.State, is.ClosedAt, is.ClosedBy = stateClosed, &at, m.Login
				reason := reasonCompleted
				is.StateReason = &reason
			case *m.State == stateOpen && is.State != stateOpen:
				reason := reasonReopened
				is.State, is.ClosedAt, is.ClosedBy, is.StateReason = stateOpen, nil, "", &reason
			}
		}
		if m.StateReason != nil && is.State == stateClosed {
			reason := *m.StateReason
			is.StateReason = &reason
		}
		if m.Labels != nil {
			is.Labels = r.resolveLabels(*m.Labels)
		}
		if m.Assignees != nil {
			is.Assignees = append([]string(nil), *m.Assignees...)
		}
		is.UpdatedAt = m.At
	case opLockIssue, opUnlockIssue:
		if r == nil {
			return
		}
		if is := r.issue(m.Number); is != nil {
			is.Locked, is.LockReason = m.Op == opLockIssue, nil
			if is.Locked && m.LockReason != nil {
				reason := *m.LockReason
				is.LockReason = &reason
			}
			is.UpdatedAt = m.At
		}
	case opCreateComment:
		if r == nil {
			return
		}
		is := r.issue(m.Number)
		if is == nil {
			return
		}
		st.seeID(m.ID)
		c := &comment{ID: m.ID, Issue: is, Body: deref(m.Body), User: m.Login, CreatedAt: m.At, UpdatedAt: m.At}
		is.Comments = append(is.Comments, c)
		r.comments[c.ID] = c
		is.UpdatedAt = m.At
	case opUpdateComment:
		if r == nil {
			return
		}
		if c := r.comments[m.TargetID]; c != nil {
			c.Body, c.UpdatedAt = deref(m.Body), m.At
		}
	case opDeleteComment:
		if r == nil {
			return
		}
		c := r.comments[m.TargetID]
		if c == nil {
			return
		}
		delete(r.comments, c.ID)
		for i, x := range c.Issue.Comments {
			if x == c {
				c.Issue.Comments = append(c.Issue.Comments[:i:i], c.Issue.Comments[i+1:]...)
				break
			}
		}
		c.Issue.UpdatedAt = m.At
	case opCreateReaction:
		if list := r.reactionList(m.Target, m.TargetID); list != nil {
			st.seeID(m.ID)
			*list = append(*list, &reaction{ID: m.ID, User: m.Login, Content: m.Content, CreatedAt: m.At})
		}
	case opNextIDs:
		st.nextID = max(st.nextID, m.ID)
		st.nextUserID = max(st.nextUserID, m.NextUserID)
	case opDeleteReaction:
		if list := r.reactionList(m.Target, m.TargetID); list != nil {
			for i, x := range *list {
				if x.ID == m.ID {
					*list = append((*list)[:i:i], (*list)[i+1:]...)
					break
				}
			}
		}
	}
}

// reactionList is the reactions of an issue (by number) or a comment (by id).
func (r *repo) reactionList(target string, id int64) *[]*reaction {
	if r == nil {
		return nil
	}
	switch target {
	case targetIssue:
		if is := r.issue(int(id)); is != nil {
			return &is.Reactions
		}
	case targetComment:
		if c := r.comments[id]; c != nil {
			return &c.Reactions
		}
	}
	return nil
}

// resolveLabels maps names to the repo's labels (case-insensitively), dropping unknown names and
// duplicates, keeping the order GitHub shows: by name.
func (r *repo) resolveLabels(names []string) []*label {
	var out []*label
	seen := map[*label]bool{}
	for _, n := range names {
		if l := r.label(n); l != nil && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

func removeLabel(list []*label, l *label) []*label {
	out := list[:0:0]
	for _, x := range list {
		if x != l {
			out = append(out, x)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
