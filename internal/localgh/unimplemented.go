package localgh

import (
	"net/http"
	"strings"
)

// A GitHub endpoint that localgh does not serve answers 501 naming it, so that a client sees
// what is missing instead of a 404 that reads as "no such issue"; a path that is no GitHub
// endpoint stays 404, as on GitHub.

// repoResources are the first path segments under /repos/{owner}/{repo}/ that GitHub serves.
var repoResources = setOf("actions", "activity", "assignees", "autolinks", "branches", "check-runs", "check-suites",
	"code-scanning", "codeowners", "collaborators", "comments", "commits", "compare", "contents", "contributors",
	"deployments", "dispatches", "environments", "events", "forks", "generate", "git", "hooks", "import",
	"invitations", "keys", "languages", "license", "merges", "milestones", "notifications", "pages", "projects",
	"pulls", "readme", "releases", "rulesets", "stargazers", "stats", "statuses", "subscribers", "subscription",
	"tags", "teams", "topics", "traffic", "transfer", "vulnerability-alerts")

// issueResources are the path segments under /repos/{owner}/{repo}/issues/{number}/ that GitHub
// serves and localgh does not.
var issueResources = setOf("events", "timeline", "assignees", "sub_issues", "sub_issue", "parent", "dependencies")

// topResources are the first path segments of GitHub's other endpoints.
var topResources = setOf("search", "users", "orgs", "issues", "notifications", "gists", "graphql", "events", "meta",
	"emojis", "octocat", "zen", "licenses", "markdown", "app", "installation", "applications", "feeds",
	"enterprises", "teams", "codes_of_conduct", "gitignore", "marketplace_listing", "organizations", "projects",
	"repositories", "user", "versions", "advisories", "networks")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// unimplemented answers a request the router found no handler for: 501 when its path is one
// of GitHub's endpoints, else 404.
func unimplemented(rc *reqCtx) *answer {
	sg := rc.segs
	known := false
	switch {
	case len(sg) >= 4 && sg[0] == "repos" && sg[3] == "issues":
		known = len(sg) >= 5 && sg[4] == "events" || len(sg) >= 6 && issueResources[sg[5]]
	case len(sg) >= 4 && sg[0] == "repos":
		known = repoResources[sg[3]]
	case len(sg) == 3 && sg[0] == "repos":
		known = rc.method == http.MethodPatch || rc.method == http.MethodDelete
	case len(sg) >= 1:
		known = topResources[sg[0]]
	}
	if !known {
		return notFound()
	}
	method := rc.r.Method
	return errAnswer(http.StatusNotImplemented, "Not Implemented: localgh does not serve "+method+" "+endpoint(sg)+
		" (it serves repositories, issues, comments, labels and reactions)", docsBase)
}

// endpoint names a path as GitHub's documentation does, its variable parts as {owner},
// {repo}, {issue_number}: what is not served is the endpoint, whatever the values.
func endpoint(sg []string) string {
	out := make([]string, len(sg))
	copy(out, sg)
	if len(out) >= 3 && out[0] == "repos" {
		out[1], out[2] = "{owner}", "{repo}"
		if len(out) >= 5 && out[3] == "issues" {
			if _, ok := parseNumber(out[4]); ok {
				out[4] = "{issue_number}"
			}
		}
	}
	if len(out) >= 2 && (out[0] == "users" || out[0] == "orgs") {
		out[1] = "{" + strings.TrimSuffix(out[0], "s") + "}"
	}
	if len(out) > 8 {
		out = append(out[:8], "…")
	}
	for i, s := range out {
		if len(s) > 64 {
			out[i] = s[:64] + "…"
		}
	}
	return "/" + strings.Join(out, "/")
}
