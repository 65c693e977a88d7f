package store

import (
	"errors"
	"time"

	"github.com/ghstore/ghstore/internal/transport"
)

// Sentinel errors; the errors the Store returns wrap them (errors.Is) with context.
var (
	// ErrNotFound: no live object has the id (an issue by a trusted author labelled
	// stored-object and UID:<id>), or, for Process, the issue is no such object. A deleted
	// object's archived issue is not one.
	ErrNotFound = errors.New("ghstore: object not found")
	// ErrDuplicateKey: a Create found a live object of the id (compared by idkey.Of); the
	// error names the id and the existing issue.
	ErrDuplicateKey = errors.New("ghstore: duplicate key")
	// ErrInvalidID: an id breaks the wire format's rules (ValidateID); nothing was sent.
	ErrInvalidID = errors.New("ghstore: invalid object id")
	// ErrInvalidData: data is not a JSON object (or not valid UTF-8), or does not decode as a
	// Collection's type; nothing was sent.
	ErrInvalidData = errors.New("ghstore: invalid object data")
	// ErrTooLarge: a body or comment would pass GitHub's MaxBodySize; nothing was sent.
	ErrTooLarge = errors.New("ghstore: object too large")
	// ErrCorrupt: an issue's body or log cannot be read as an object (edited by hand into
	// non-JSON, say). The error names the issue.
	ErrCorrupt = errors.New("ghstore: corrupt object")
	// ErrRepoNotFound: GitHub answered 404 for the repository: it may not exist, or the token
	// lacks access to it (GitHub hides private repositories behind 404).
	ErrRepoNotFound = errors.New("ghstore: repository not found, or the token lacks access to it")
	// ErrIssuesDisabled: GitHub answered 410: the repository has Issues turned off.
	ErrIssuesDisabled = errors.New("ghstore: Issues are disabled for this repository")
	// ErrUnsettled: a write's update is in the object's log (the log is the truth), but its issue
	// could be neither settled nor reopened (its token refused from then on, say), so readers,
	// trusting the closed body, do not see it yet. The next write or processing of the object
	// (ghsql process, or any Update) folds the log and applies it, once. The error also wraps
	// the cause.
	ErrUnsettled = errors.New("ghstore: the update is in the object's log but its issue could not be settled; the next write or processing of the object applies it")
	// ErrConflict: a conditional write found the object changed since its base was read (its
	// comment was superseded, DESIGN.md §3a), or an update kept losing races past its bound of
	// rounds. Nothing of the write was applied; the error names the object.
	ErrConflict = errors.New("ghstore: conflict: the object changed since it was read")
	// ErrBadCredentials: GitHub answered 401: the token is wrong, expired or revoked.
	ErrBadCredentials = errors.New("ghstore: bad credentials (GitHub answered 401)")
)

// RateLimitError: a request was not sent because of GitHub's rate limit, and waiting for it would
// pass the context's deadline (or GitHub gave no way to know when requests may go on). Nothing of
// that request was applied. The driver's transport raises it (the error it wraps); the store gives
// it this type of its own.
type RateLimitError struct {
	Secondary bool      // the secondary (content-creating) limit, else the primary budget
	Reset     time.Time // when requests may go on
	Status    int       // 403 or 429; 0 when the client-side pacer refused to wait
	err       error     // what the request failed with, when it came from a transport
}

func (e *RateLimitError) Error() string {
	if e.err != nil {
		return e.err.Error()
	}
	return (&transport.RateLimitError{Secondary: e.Secondary, Reset: e.Reset, Status: e.Status}).Error()
}

// Unwrap returns what the request failed with (the transport's own error), or nil.
func (e *RateLimitError) Unwrap() error { return e.err }

// asRateLimitError gives a request's failure for the transport's rate limit the store's type.
func asRateLimitError(err error) (*RateLimitError, bool) {
	var trl *transport.RateLimitError
	if !errors.As(err, &trl) {
		return nil, false
	}
	return &RateLimitError{Secondary: trl.Secondary, Reset: trl.Reset, Status: trl.Status, err: err}, true
}
