package localgh

import (
	"net/http"
	"strings"
	"time"
)

// This file answers GET /repos/{o}/{r}, GET /user and GET /rate_limit.

type permissionsJSON struct {
	Admin    bool `json:"admin"`
	Maintain bool `json:"maintain"`
	Push     bool `json:"push"`
	Triage   bool `json:"triage"`
	Pull     bool `json:"pull"`
}

type repoJSON struct {
	ID               int64            `json:"id"`
	NodeID           string           `json:"node_id"`
	Name             string           `json:"name"`
	FullName         string           `json:"full_name"`
	Private          bool             `json:"private"`
	Owner            *userJSON        `json:"owner"`
	HTMLURL          string           `json:"html_url"`
	Description      *string          `json:"description"`
	Fork             bool             `json:"fork"`
	URL              string           `json:"url"`
	ForksURL         string           `json:"forks_url"`
	KeysURL          string           `json:"keys_url"`
	CollaboratorsURL string           `json:"collaborators_url"`
	TeamsURL         string           `json:"teams_url"`
	HooksURL         string           `json:"hooks_url"`
	IssueEventsURL   string           `json:"issue_events_url"`
	EventsURL        string           `json:"events_url"`
	AssigneesURL     string           `json:"assignees_url"`
	BranchesURL      string           `json:"branches_url"`
	TagsURL          string           `json:"tags_url"`
	BlobsURL         string           `json:"blobs_url"`
	GitTagsURL       string           `json:"git_tags_url"`
	GitRefsURL       string           `json:"git_refs_url"`
	TreesURL         string           `json:"trees_url"`
	StatusesURL      string           `json:"statuses_url"`
	LanguagesURL     string           `json:"languages_url"`
	StargazersURL    string           `json:"stargazers_url"`
	ContributorsURL  string           `json:"contributors_url"`
	SubscribersURL   string           `json:"subscribers_url"`
	SubscriptionURL  string           `json:"subscription_url"`
	CommitsURL       string           `json:"commits_url"`
	GitCommitsURL    string           `json:"git_commits_url"`
	CommentsURL      string           `json:"comments_url"`
	IssueCommentURL  string           `json:"issue_comment_url"`
	ContentsURL      string           `json:"contents_url"`
	CompareURL       string           `json:"compare_url"`
	MergesURL        string           `json:"merges_url"`
	ArchiveURL       string           `json:"archive_url"`
	DownloadsURL     string           `json:"downloads_url"`
	IssuesURL        string           `json:"issues_url"`
	PullsURL         string           `json:"pulls_url"`
	MilestonesURL    string           `json:"milestones_url"`
	NotificationsURL string           `json:"notifications_url"`
	LabelsURL        string           `json:"labels_url"`
	ReleasesURL      string           `json:"releases_url"`
	DeploymentsURL   string           `json:"deployments_url"`
	CreatedAt        ghTime           `json:"created_at"`
	UpdatedAt        ghTime           `json:"updated_at"`
	PushedAt         ghTime           `json:"pushed_at"`
	GitURL           string           `json:"git_url"`
	SSHURL           string           `json:"ssh_url"`
	CloneURL         string           `json:"clone_url"`
	SvnURL           string           `json:"svn_url"`
	Homepage         *string          `json:"homepage"`
	Size             int              `json:"size"`
	StargazersCount  int              `json:"stargazers_count"`
	WatchersCount    int              `json:"watchers_count"`
	Language         *string          `json:"language"`
	HasIssues        bool             `json:"has_issues"`
	HasProjects      bool             `json:"has_projects"`
	HasDownloads     bool             `json:"has_downloads"`
	HasWiki          bool             `json:"has_wiki"`
	HasPages         bool             `json:"has_pages"`
	HasDiscussions   bool             `json:"has_discussions"`
	ForksCount       int              `json:"forks_count"`
	MirrorURL        *string          `json:"mirror_url"`
	Archived         bool             `json:"archived"`
	Disabled         bool             `json:"disabled"`
	OpenIssuesCount  int              `json:"open_issues_count"`
	License          *struct{}        `json:"license"`
	AllowForking     bool             `json:"allow_forking"`
	IsTemplate       bool             `json:"is_template"`
	Topics           []string         `json:"topics"`
	Visibility       string           `json:"visibility"`
	Forks            int              `json:"forks"`
	OpenIssues       int              `json:"open_issues"`
	Watchers         int              `json:"watchers"`
	DefaultBranch    string           `json:"default_branch"`
	Permissions      *permissionsJSON `json:"permissions,omitempty"`
	NetworkCount     int              `json:"network_count"`
	SubscribersCount int              `json:"subscribers_count"`
}

func (s *server) renderRepo(rc *reqCtx, r *repo) repoJSON {
	api := rc.repoAPI(r)
	html := rc.repoHTML(r)
	host := strings.TrimPrefix(strings.TrimPrefix(rc.htmlBase(), "https://"), "http://")
	visibility := "public"
	if r.Private {
		visibility = "private"
	}
	open := r.openIssues()
	out := repoJSON{
		ID: r.ID, NodeID: nodeID("R", r.ID), Name: r.Name, FullName: r.Owner + "/" + r.Name, Private: r.Private,
		Owner: s.renderUser(rc, r.Owner), HTMLURL: html, URL: api,
		ForksURL: api + "/forks", KeysURL: api + "/keys{/key_id}", CollaboratorsURL: api + "/collaborators{/collaborator}",
		TeamsURL: api + "/teams", HooksURL: api + "/hooks", IssueEventsURL: api + "/issues/events{/number}",
		EventsURL: api + "/events", AssigneesURL: api + "/assignees{/user}", BranchesURL: api + "/branches{/branch}",
		TagsURL: api + "/tags", BlobsURL: api + "/git/blobs{/sha}", GitTagsURL: api + "/git/tags{/sha}",
		GitRefsURL: api + "/git/refs{/sha}", TreesURL: api + "/git/trees{/sha}", StatusesURL: api + "/statuses/{sha}",
		LanguagesURL: api + "/languages", StargazersURL: api + "/stargazers", ContributorsURL: api + "/contributors",
		SubscribersURL: api + "/subscribers", SubscriptionURL: api + "/subscription", CommitsURL: api + "/commits{/sha}",
		GitCommitsURL: api + "/git/commits{/sha}", CommentsURL: api + "/comments{/number}",
		IssueCommentURL: api + "/issues/comments{/number}", ContentsURL: api + "/contents/{+path}",
		CompareURL: api + "/compare/{base}...{head}", MergesURL: api + "/merges", ArchiveURL: api + "/{archive_format}{/ref}",
		DownloadsURL: api + "/downloads", IssuesURL: api + "/issues{/number}", PullsURL: api + "/pulls{/number}",
		MilestonesURL: api + "/milestones{/number}", NotificationsURL: api + "/notifications{?since,all,participating}",
		LabelsURL: api + "/labels{/name}", ReleasesURL: api + "/releases{/id}", DeploymentsURL: api + "/deployments",
		CreatedAt: ghTime(r.CreatedAt), UpdatedAt: ghTime(r.UpdatedAt), PushedAt: ghTime(r.CreatedAt),
		GitURL: "git://" + host + "/" + r.Owner + "/" + r.Name + ".git", SSHURL: "git@" + host + ":" + r.Owner + "/" + r.Name + ".git",
		CloneURL: html + ".git", SvnURL: html, HasIssues: r.IssuesEnabled, HasProjects: true, HasDownloads: true,
		HasWiki: true, OpenIssuesCount: open, AllowForking: true, Topics: []string{}, Visibility: visibility,
		OpenIssues: open, DefaultBranch: "main",
	}
	if rc.login != "" {
		role := r.role(rc.login)
		push := r.canPush(rc.login)
		out.Permissions = &permissionsJSON{Admin: role == Owner, Maintain: role == Owner, Push: push, Triage: push, Pull: r.canRead(rc.login)}
	}
	return out
}

func (s *server) getRepo(rc *reqCtx, owner, name string) *answer {
	r := s.st.repo(owner, name)
	if r == nil || !r.canRead(rc.login) {
		return notFound()
	}
	return jsonAnswer(http.StatusOK, s.renderRepo(rc, r))
}

func (s *server) getUser(rc *reqCtx) *answer {
	if rc.login == "" {
		return needAuth()
	}
	return jsonAnswer(http.StatusOK, s.renderPrivateUser(rc, rc.login))
}

type rateJSON struct {
	Limit     int   `json:"limit"`
	Used      int   `json:"used"`
	Remaining int   `json:"remaining"`
	Reset     int64 `json:"reset"`
}

func (s *server) getRateLimit(rc *reqCtx) *answer {
	now := s.now()
	limit, remaining, used, reset := s.limits.status(rc.login, now)
	core := rateJSON{Limit: limit, Used: used, Remaining: remaining, Reset: reset.Unix()}
	minute := now.Add(time.Minute).Unix()
	return jsonAnswer(http.StatusOK, map[string]any{
		"resources": map[string]any{
			"core":                 core,
			"search":               rateJSON{Limit: 30, Remaining: 30, Reset: minute},
			"graphql":              rateJSON{Limit: limit, Remaining: limit, Reset: reset.Unix()},
			"integration_manifest": rateJSON{Limit: 5000, Remaining: 5000, Reset: reset.Unix()},
			"code_search":          rateJSON{Limit: 10, Remaining: 10, Reset: minute},
		},
		"rate": core,
	})
}
