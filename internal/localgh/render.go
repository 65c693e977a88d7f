package localgh

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// This file renders GitHub's JSON shapes (as in gh-store-wire and the OpenAPI description): absent
// values are null, times are RFC 3339 UTC whole seconds.

const timeLayout = "2006-01-02T15:04:05Z"

type ghTime time.Time

func (t ghTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format(timeLayout) + `"`), nil
}

func ptime(t *time.Time) *ghTime {
	if t == nil {
		return nil
	}
	g := ghTime(*t)
	return &g
}

func nodeID(prefix string, id int64) string {
	return prefix + "_" + base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s%d", prefix, id)))
}

type userJSON struct {
	Login             string `json:"login"`
	ID                int64  `json:"id"`
	NodeID            string `json:"node_id"`
	AvatarURL         string `json:"avatar_url"`
	GravatarID        string `json:"gravatar_id"`
	URL               string `json:"url"`
	HTMLURL           string `json:"html_url"`
	FollowersURL      string `json:"followers_url"`
	FollowingURL      string `json:"following_url"`
	GistsURL          string `json:"gists_url"`
	StarredURL        string `json:"starred_url"`
	SubscriptionsURL  string `json:"subscriptions_url"`
	OrganizationsURL  string `json:"organizations_url"`
	ReposURL          string `json:"repos_url"`
	EventsURL         string `json:"events_url"`
	ReceivedEventsURL string `json:"received_events_url"`
	Type              string `json:"type"`
	UserViewType      string `json:"user_view_type"`
	SiteAdmin         bool   `json:"site_admin"`
}

func (s *server) renderUser(rc *reqCtx, login string) *userJSON {
	if login == "" {
		return nil
	}
	var id int64
	if u := s.st.users[strings.ToLower(login)]; u != nil {
		login, id = u.Login, u.ID
	}
	api := rc.apiBase() + "/users/" + login
	return &userJSON{
		Login: login, ID: id, NodeID: nodeID("U", id),
		AvatarURL:         fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id),
		URL:               api,
		HTMLURL:           rc.htmlBase() + "/" + login,
		FollowersURL:      api + "/followers",
		FollowingURL:      api + "/following{/other_user}",
		GistsURL:          api + "/gists{/gist_id}",
		StarredURL:        api + "/starred{/owner}{/repo}",
		SubscriptionsURL:  api + "/subscriptions",
		OrganizationsURL:  api + "/orgs",
		ReposURL:          api + "/repos",
		EventsURL:         api + "/events{/privacy}",
		ReceivedEventsURL: api + "/received_events",
		Type:              "User",
		UserViewType:      "public",
	}
}

type privateUserJSON struct {
	userJSON
	Name                    *string `json:"name"`
	Company                 *string `json:"company"`
	Blog                    string  `json:"blog"`
	Location                *string `json:"location"`
	Email                   *string `json:"email"`
	Hireable                *bool   `json:"hireable"`
	Bio                     *string `json:"bio"`
	TwitterUsername         *string `json:"twitter_username"`
	NotificationEmail       *string `json:"notification_email"`
	PublicRepos             int     `json:"public_repos"`
	PublicGists             int     `json:"public_gists"`
	Followers               int     `json:"followers"`
	Following               int     `json:"following"`
	CreatedAt               ghTime  `json:"created_at"`
	UpdatedAt               ghTime  `json:"updated_at"`
	PrivateGists            int     `json:"private_gists"`
	TotalPrivateRepos       int     `json:"total_private_repos"`
	OwnedPrivateRepos       int     `json:"owned_private_repos"`
	DiskUsage               int     `json:"disk_usage"`
	Collaborators           int     `json:"collaborators"`
	TwoFactorAuthentication bool    `json:"two_factor_authentication"`
}

func (s *server) renderPrivateUser(rc *reqCtx, login string) *privateUserJSON {
	u := s.st.users[strings.ToLower(login)]
	out := &privateUserJSON{userJSON: *s.renderUser(rc, login), CreatedAt: ghTime(u.CreatedAt), UpdatedAt: ghTime(u.CreatedAt)}
	out.UserViewType = "private" // GitHub's discriminator between private-user and public-user
	for _, r := range s.st.repos {
		if strings.EqualFold(r.Owner, login) {
			if r.Private {
				out.TotalPrivateRepos++
				out.OwnedPrivateRepos++
			} else {
				out.PublicRepos++
			}
		}
	}
	return out
}

type rollupJSON struct {
	URL        string `json:"url"`
	TotalCount int    `json:"total_count"`
	PlusOne    int    `json:"+1"`
	MinusOne   int    `json:"-1"`
	Laugh      int    `json:"laugh"`
	Hooray     int    `json:"hooray"`
	Confused   int    `json:"confused"`
	Heart      int    `json:"heart"`
	Rocket     int    `json:"rocket"`
	Eyes       int    `json:"eyes"`
}

func rollup(url string, rs []*reaction) rollupJSON {
	out := rollupJSON{URL: url, TotalCount: len(rs)}
	for _, r := range rs {
		switch r.Content {
		case "+1":
			out.PlusOne++
		case "-1":
			out.MinusOne++
		case "laugh":
			out.Laugh++
		case "hooray":
			out.Hooray++
		case "confused":
			out.Confused++
		case "heart":
			out.Heart++
		case "rocket":
			out.Rocket++
		case "eyes":
			out.Eyes++
		}
	}
	return out
}

type labelJSON struct {
	ID          int64   `json:"id"`
	NodeID      string  `json:"node_id"`
	URL         string  `json:"url"`
	Name        string  `json:"name"`
	Color       string  `json:"color"`
	Default     bool    `json:"default"`
	Description *string `json:"description"`
}

func (rc *reqCtx) repoAPI(r *repo) string { return rc.apiBase() + "/repos/" + r.Owner + "/" + r.Name }
func (rc *reqCtx) repoHTML(r *repo) string {
	return rc.htmlBase() + "/" + r.Owner + "/" + r.Name
}

func renderLabel(rc *reqCtx, r *repo, l *label) labelJSON {
	return labelJSON{ID: l.ID, NodeID: nodeID("LA", l.ID), URL: rc.repoAPI(r) + "/labels/" + url.PathEscape(l.Name),
		Name: l.Name, Color: l.Color, Default: l.Default, Description: l.Description}
}

func renderLabels(rc *reqCtx, r *repo, ls []*label) []labelJSON {
	out := make([]labelJSON, 0, len(ls))
	for _, l := range ls {
		out = append(out, renderLabel(rc, r, l))
	}
	return out
}

type subIssuesJSON struct {
	Total            int `json:"total"`
	Completed        int `json:"completed"`
	PercentCompleted int `json:"percent_completed"`
}

type issueJSON struct {
	URL                   string        `json:"url"`
	RepositoryURL         string        `json:"repository_url"`
	LabelsURL             string        `json:"labels_url"`
	CommentsURL           string        `json:"comments_url"`
	EventsURL             string        `json:"events_url"`
	HTMLURL               string        `json:"html_url"`
	ID                    int64         `json:"id"`
	NodeID                string        `json:"node_id"`
	Number                int           `json:"number"`
	Title                 string        `json:"title"`
	User                  *userJSON     `json:"user"`
	Labels                []labelJSON   `json:"labels"`
	State                 string        `json:"state"`
	Locked                bool          `json:"locked"`
	Assignee              *userJSON     `json:"assignee"`
	Assignees             []userJSON    `json:"assignees"`
	Milestone             *struct{}     `json:"milestone"`
	Comments              int           `json:"comments"`
	CreatedAt             ghTime        `json:"created_at"`
	UpdatedAt             ghTime        `json:"updated_at"`
	ClosedAt              *ghTime       `json:"closed_at"`
	AuthorAssociation     Role          `json:"author_association"`
	Type                  *struct{}     `json:"type"`
	ActiveLockReason      *string       `json:"active_lock_reason"`
	SubIssuesSummary      subIssuesJSON `json:"sub_issues_summary"`
	Body                  *string       `json:"body"`
	ClosedBy              *userJSON     `json:"closed_by"`
	Reactions             rollupJSON    `json:"reactions"`
	TimelineURL           string        `json:"timeline_url"`
	PerformedViaGitHubApp *struct{}     `json:"performed_via_github_app"`
	StateReason           *string       `json:"state_reason"`
}

func (s *server) renderIssue(rc *reqCtx, r *repo, is *issue) issueJSON {
	u := rc.repoAPI(r) + fmt.Sprintf("/issues/%d", is.Number)
	out := issueJSON{
		URL: u, RepositoryURL: rc.repoAPI(r), LabelsURL: u + "/labels{/name}", CommentsURL: u + "/comments",
		EventsURL: u + "/events", HTMLURL: rc.repoHTML(r) + fmt.Sprintf("/issues/%d", is.Number),
		ID: is.ID, NodeID: nodeID("I", is.ID), Number: is.Number, Title: is.Title,
		User: s.renderUser(rc, is.User), Labels: renderLabels(rc, r, is.Labels), State: is.State,
		Locked: is.Locked, ActiveLockReason: is.LockReason, Comments: len(is.Comments),
		CreatedAt: ghTime(is.CreatedAt), UpdatedAt: ghTime(is.UpdatedAt), ClosedAt: ptime(is.ClosedAt),
		AuthorAssociation: r.role(is.User), Body: is.Body, ClosedBy: s.renderUser(rc, is.ClosedBy),
		Reactions: rollup(u+"/reactions", is.Reactions), TimelineURL: u + "/timeline", StateReason: is.StateReason,
	}
	out.Assignee, out.Assignees = s.renderAssignees(rc, is)
	return out
}

type commentJSON struct {
	URL                   string     `json:"url"`
	HTMLURL               string     `json:"html_url"`
	IssueURL              string     `json:"issue_url"`
	ID                    int64      `json:"id"`
	NodeID                string     `json:"node_id"`
	User                  *userJSON  `json:"user"`
	CreatedAt             ghTime     `json:"created_at"`
	UpdatedAt             ghTime     `json:"updated_at"`
	AuthorAssociation     Role       `json:"author_association"`
	Body                  string     `json:"body"`
	Reactions             rollupJSON `json:"reactions"`
	PerformedViaGitHubApp *struct{}  `json:"performed_via_github_app"`
}

func (s *server) renderComment(rc *reqCtx, r *repo, c *comment) commentJSON {
	u := rc.repoAPI(r) + fmt.Sprintf("/issues/comments/%d", c.ID)
	return commentJSON{
		URL: u, HTMLURL: rc.repoHTML(r) + fmt.Sprintf("/issues/%d#issuecomment-%d", c.Issue.Number, c.ID),
		IssueURL: rc.repoAPI(r) + fmt.Sprintf("/issues/%d", c.Issue.Number), ID: c.ID, NodeID: nodeID("IC", c.ID),
		User: s.renderUser(rc, c.User), CreatedAt: ghTime(c.CreatedAt), UpdatedAt: ghTime(c.UpdatedAt),
		AuthorAssociation: r.role(c.User), Body: c.Body, Reactions: rollup(u+"/reactions", c.Reactions),
	}
}

type reactionJSON struct {
	ID        int64     `json:"id"`
	NodeID    string    `json:"node_id"`
	User      *userJSON `json:"user"`
	Content   string    `json:"content"`
	CreatedAt ghTime    `json:"created_at"`
}

func (s *server) renderReaction(rc *reqCtx, x *reaction) reactionJSON {
	return reactionJSON{ID: x.ID, NodeID: nodeID("REA", x.ID), User: s.renderUser(rc, x.User), Content: x.Content, CreatedAt: ghTime(x.CreatedAt)}
}
