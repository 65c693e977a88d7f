package driver

import (
	"errors"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// DSN errors name the key that is wrong and, where that helps, the value given. A value is
// shown only when it cannot be a token: a token pasted into the wrong key (timeout=, apply=, …)
// must not come back in the error, which ghsql prints and programs log.

// tokenPrefixes are how GitHub's tokens begin (personal, OAuth, user-to-server, server-to-server,
// refresh, fine-grained personal).
var tokenPrefixes = []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}

const (
	// maxShownValue is the longest value a DSN error quotes.
	maxShownValue = 64
	// tokenRun is the length of a run of [A-Za-z0-9_] that makes a value look like a token (a
	// classic token is 40 hexadecimal digits; GitHub's prefixed ones are longer).
	tokenRun = 20
	// minSecretPiece is the shortest piece of a secret a value must hold back: a value of at
	// least this many characters that is part of a secret is withheld.
	minSecretPiece = 6
	// withheldToken and withheldLong stand for a value not shown.
	withheldToken = "value withheld: it looks like a token"
	withheldLong  = "value withheld: it is too long to show"
)

// secrets are the values a DSN error must never show: the DSN's token= value(s) and the
// GITHUB_TOKEN and GH_TOKEN the Connector would fall back on.
type secrets []string

// dsnSecrets gathers the secrets of the DSN whose query (after '?') is query and whose parsed
// values are values (nil when unparsable): every token= value, decoded and as written, and the
// token environment variables.
func dsnSecrets(query string, values url.Values) secrets {
	var s secrets
	s = append(s, values["token"]...)
	for pair := range strings.SplitSeq(query, "&") {
		if v, ok := strings.CutPrefix(pair, "token="); ok {
			s = append(s, v)
		}
	}
	return append(s, envSecrets()...)
}

// envSecrets are the tokens of the environment variables NewConnector reads.
func envSecrets() secrets {
	var s secrets
	for _, v := range tokenVars {
		s = append(s, os.Getenv(v))
	}
	return s
}

// quote is v quoted (%q) for an error message, or "(value withheld: …)" when it is too long to
// show or might be a token (it holds a secret, or a piece of one, or a GitHub token prefix, or a
// long run of the characters tokens are made of).
func (s secrets) quote(v string) string {
	if w := s.withheld(v); w != "" {
		return "(" + w + ")"
	}
	return strconv.Quote(v)
}

// got is `got "v"` for an error message's parenthesis, or "value withheld: …" (see quote).
func (s secrets) got(v string) string {
	if w := s.withheld(v); w != "" {
		return w
	}
	return "got " + strconv.Quote(v)
}

// withheld says why v may not be shown, or "" when it may.
func (s secrets) withheld(v string) string {
	switch {
	case len(v) > maxShownValue:
		return withheldLong
	case s.looksSecret(v):
		return withheldToken
	}
	return ""
}

// looksSecret reports whether v holds (a piece of) a secret or looks like a token.
func (s secrets) looksSecret(v string) bool {
	for _, sec := range s {
		if sec == "" {
			continue
		}
		if strings.Contains(v, sec) || (len(v) >= minSecretPiece && strings.Contains(sec, v)) {
			return true
		}
	}
	return looksLikeToken(v)
}

// looksLikeToken reports whether v holds a GitHub token prefix or a run of tokenRun characters
// of [A-Za-z0-9_].
func looksLikeToken(v string) bool {
	lower := strings.ToLower(v)
	for _, p := range tokenPrefixes {
		if strings.Contains(lower, p) {
			return true
		}
	}
	run := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			run++
			if run >= tokenRun {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// scrub is the last line of defence: a DSN error whose text still holds a secret has it cut
// out of its Key and Reason. (A secret shorter than minSecretPiece is left: cutting it would
// mangle the message, and quote already withholds any value that holds it.)
func (s secrets) scrub(err error) error {
	var de *DSNError
	if err == nil || !errors.As(err, &de) {
		return err
	}
	for _, sec := range s {
		if len(sec) < minSecretPiece || !strings.Contains(de.Key+" "+de.Reason, sec) {
			continue
		}
		de.Key = strings.ReplaceAll(de.Key, sec, "[REDACTED]")
		de.Reason = strings.ReplaceAll(de.Reason, sec, "[REDACTED]")
	}
	return err
}
