package driver

import "database/sql/driver"

// result is a write's outcome. RowsAffected follows MySQL: objects inserted, changed or
// deleted; for ON DUPLICATE KEY UPDATE 1 per insert, 2 per changed object, 0 per unchanged.
type result struct {
	affected int64
	// insertID is the issue number of a one-row INSERT's object (valid when hasInsertID).
	insertID    int64
	hasInsertID bool
}

var _ driver.Result = result{}

// LastInsertId is the issue number of the object a one-row INSERT wrote. Ids are the objects'
// own keys; the issue number is the only integer GitHub gives them.
func (r result) LastInsertId() (int64, error) {
	if !r.hasInsertID {
		return 0, ErrNoInsertID
	}
	return r.insertID, nil
}

// RowsAffected is exact: only objects that changed count.
func (r result) RowsAffected() (int64, error) { return r.affected, nil }

// bufferedResult is the result of a write buffered in a transaction: not known until Commit.
type bufferedResult struct{}

func (bufferedResult) LastInsertId() (int64, error) { return 0, ErrAfterCommit }
func (bufferedResult) RowsAffected() (int64, error) { return 0, ErrAfterCommit }
