package transport

import (
	"errors"
	"strings"

	"golang.org/x/oauth2"
)

// redact makes sure err's message cannot show the token. Tokens only travel in a header, so this
// is a second line of defence (a token source's own error, say): an error that would show the
// token is replaced by one with the token cut out, which keeps errors.Is but hides the original.
func redact(err error, token oauth2.TokenSource) error {
	if token == nil {
		return err
	}
	t, terr := token.Token()
	if terr != nil || t.AccessToken == "" {
		return err
	}
	msg := err.Error()
	if !strings.Contains(msg, t.AccessToken) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(msg, t.AccessToken, "[REDACTED]"), cause: err}
}

// redactedError is an error whose message had the token cut out. It does not unwrap (its cause
// would show the token) but answers errors.Is for its cause's chain (context errors, say).
type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Is(target error) bool { return errors.Is(e.cause, target) }
