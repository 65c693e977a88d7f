package store

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// trust decides whose issues and comments count (DESIGN.md §3): an author is trusted when their
// author_association is OWNER, MEMBER or COLLABORATOR, their login is in Options.Trusted, or it is
// the token's own login. The token's login is learnt lazily: from Options.Login, else GET /user
// (once per Store, and only when an author is not already trusted otherwise); when GET /user is
// refused (401/403: an Actions GITHUB_TOKEN), from the author of the first issue or comment this
// Store writes. Until it is known, such authors are untrusted.
type trust struct {
	listed map[string]bool // lower-cased Options.Trusted

	mu      sync.Mutex
	login   string // the token's login, once known
	asked   bool   // GET /user was answered (with the login or a refusal)
	refused bool   // GET /user was refused
}

func newTrust(listed []string, login string) *trust {
	t := &trust{listed: map[string]bool{}, login: login, asked: login != ""}
	for _, l := range listed {
		if l = strings.TrimSpace(l); l != "" {
			t.listed[strings.ToLower(l)] = true
		}
	}
	return t
}

func trustedAssociation(assoc string) bool {
	switch strings.ToUpper(assoc) {
	case "OWNER", "MEMBER", "COLLABORATOR":
		return true
	}
	return false
}

// isTrusted reports whether login (with this author_association) is a trusted author, learning
// the token's login (GET /user, once) when that decides it.
func (s *storeImpl) isTrusted(ctx context.Context, login, assoc string) (bool, error) {
	if trustedAssociation(assoc) || s.trust.listed[strings.ToLower(login)] {
		return true, nil
	}
	if login == "" {
		return false, nil
	}
	me, err := s.tokenLogin(ctx)
	if err != nil {
		return false, err
	}
	return trustedBy(me, login), nil
}

// isTrustedNow is isTrusted with only what is known without a request: the token's login counts
// once it has been learnt (the mirror's record of a write, which must not send a request).
func (s *storeImpl) isTrustedNow(login, assoc string) bool {
	return trustedAssociation(assoc) || s.trust.listed[strings.ToLower(login)] || trustedBy(s.knownLogin(), login)
}

// trustedBy: login is the token's own login me (known).
func trustedBy(me, login string) bool { return me != "" && strings.EqualFold(me, login) }

// tokenLogin returns the token's login, "" when it cannot be known yet.
func (s *storeImpl) tokenLogin(ctx context.Context) (string, error) {
	t := s.trust
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.login != "" || t.asked {
		return t.login, nil
	}
	login, err := s.gh.getUser(ctx)
	if err != nil {
		if st := statusOf(err); st == http.StatusForbidden || st == http.StatusUnauthorized {
			t.asked, t.refused = true, true
			return t.login, nil
		}
		return "", fmt.Errorf("ghstore: learning the token's login (GET /user): %w", err)
	}
	t.asked = true
	if t.login == "" {
		t.login = login
	}
	return t.login, nil
}

// learnLogin records the author of something this Store just wrote: that is the token's login.
func (s *storeImpl) learnLogin(login string) {
	if login == "" {
		return
	}
	t := s.trust
	t.mu.Lock()
	if t.login == "" {
		t.login = login
	}
	t.mu.Unlock()
}

// knownLogin returns the token's login if it is known, without asking.
func (s *storeImpl) knownLogin() string {
	s.trust.mu.Lock()
	defer s.trust.mu.Unlock()
	return s.trust.login
}
