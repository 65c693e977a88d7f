package driver

import (
	"errors"
	"fmt"

	"github.com/ghstore/ghstore/store"
)

// Sentinel errors. The driver's errors wrap them (and the store's own sentinels, such as
// store.ErrDuplicateKey) with %w, and database/sql hands them back unchanged, so errors.Is and
// errors.As work on what db.ExecContext, db.QueryContext, Rows.Err and Tx.Commit return.
//
// What GitHub says of the repository or the token has one vocabulary, the store's: the driver's
// names for it are the store's sentinels themselves, so errors.Is(err, ErrRepoNotFound) and
// errors.Is(err, store.ErrRepoNotFound) are one test, whether a Ping or a statement met it.
var (
	// ErrRepoNotFound is store.ErrRepoNotFound: GitHub answered 404 for the repository (it may
	// not exist, or the token lacks access to it).
	ErrRepoNotFound = store.ErrRepoNotFound
	// ErrBadCredentials is store.ErrBadCredentials: GitHub answered 401 (the token is wrong,
	// expired or revoked).
	ErrBadCredentials = store.ErrBadCredentials
	// ErrIssuesDisabled is store.ErrIssuesDisabled: the repository has Issues turned off (GitHub
	// answered 410, or the repository says so), and objects live in issues.
	ErrIssuesDisabled = store.ErrIssuesDisabled
)

// The driver's own sentinels.
var (
	// ErrBadDSN: the DSN cannot be used. The *DSNError wrapping it names the key and why.
	ErrBadDSN = errors.New("ghstore: bad DSN")
	// ErrNoToken: a DSN for GitHub with no token= and neither GITHUB_TOKEN nor GH_TOKEN set.
	ErrNoToken = errors.New("ghstore: no token: give token= in the DSN or set GITHUB_TOKEN or GH_TOKEN")
	// ErrClosed: the Connector, connection or statement was closed.
	ErrClosed = errors.New("ghstore: closed")
	// ErrReadOnly: a write in a read-only transaction.
	ErrReadOnly = errors.New("ghstore: write refused in a read-only transaction")
	// ErrIsolation: an isolation level the driver cannot give.
	ErrIsolation = errors.New("ghstore: only the default isolation level is supported (a transaction reads committed state; its writes are applied in order at Commit)")
	// ErrAfterCommit: RowsAffected or LastInsertId of a write buffered in a transaction.
	ErrAfterCommit = errors.New("ghstore: a write in a transaction is applied at Commit; its result is known only after Commit")
	// ErrNoInsertID: LastInsertId of anything but a one-row INSERT.
	ErrNoInsertID = errors.New("ghstore: LastInsertId is the issue number of a one-row INSERT only")
	// ErrArgType: an argument of a Go type the driver does not take.
	ErrArgType = errors.New("ghstore: unsupported argument type")
	// ErrLocalDirBusy: another process holds the local: directory.
	ErrLocalDirBusy = errors.New("ghstore: the local: directory is held by another process; share it through `ghsql serve` and connect with base_url=")
)

// DSNError says which DSN key is wrong and why. Key is "" for the owner/repo part. It never
// holds the token. errors.Is(err, ErrBadDSN) is true.
type DSNError struct {
	Key    string
	Reason string
}

func (e *DSNError) Error() string {
	if e.Key == "" {
		return "ghstore: bad DSN: " + e.Reason
	}
	return fmt.Sprintf("ghstore: bad DSN: %s %s", e.Key, e.Reason)
}

// Is makes errors.Is(err, ErrBadDSN) true.
func (e *DSNError) Is(target error) bool { return target == ErrBadDSN }

func dsnErr(key, format string, args ...any) error {
	return &DSNError{Key: key, Reason: fmt.Sprintf(format, args...)}
}

// CommitError is a Commit that stopped part-way: Applied of Total buffered statements were
// applied to GitHub (which cannot undo them) before statement Applied+1 failed with Err.
type CommitError struct {
	Applied, Total int
	Statement      string // the SQL of the statement that failed
	Err            error
}

func (e *CommitError) Error() string {
	return fmt.Sprintf("ghstore: commit applied %d of %d statements; statement %d (%s) failed, and the ones before it stay applied: %v",
		e.Applied, e.Total, e.Applied+1, abbreviate(e.Statement, 80), e.Err)
}

func (e *CommitError) Unwrap() error { return e.Err }

// WriteError is a statement that wrote some objects and then failed: Done of Total objects were
// written (and stay written) before Err, which came while object ID was being written (it may
// or may not have been: Err says which when it can tell).
type WriteError struct {
	Verb        string // "inserted", "updated", "upserted", "deleted"
	Done, Total int
	ID          string
	Err         error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("ghstore: %s %d of %d objects, then %q: %v", e.Verb, e.Done, e.Total, e.ID, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

func abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
