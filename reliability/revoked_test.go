package reliability

import (
	"fmt"
	"testing"
)

// TestStoreUpdateRefusedFromThenOn is the fault matrix's update row with 401/404/410 lasting from
// the injected request on (a token revoked, a repository gone, Issues turned off mid-statement).
//
// When the refusal starts after the update's comment is posted, nothing more can be written: the
// issue stays closed with the old body while its log holds the update. The store says so with
// store.ErrUnsettled (wrapping the refusal): readers see the old data until the next write or
// processing of the object, which applies the update once. runStoreFault checks the read right
// after, then redoes the update without faults and checks the whole repository with the oracle.
func TestStoreUpdateRefusedFromThenOn(t *testing.T) {
	for _, op := range storeOps {
		if op.name != "update" {
			continue
		}
		n := requestsOf(t, op, 0)
		for at := 0; at < n; at++ {
			for _, kind := range []faultKind{fault401, fault404, fault410} {
				t.Run(fmt.Sprintf("%s/request%d/%s-from-then-on", op.name, at+1, kind.name), func(t *testing.T) {
					runStoreFault(t, op, at, kind, true, 0)
				})
			}
		}
	}
}

// TestSQLUpdateRefusedFromThenOn is the SQL fault matrix's UPDATE row with 401/404/410 lasting
// from the injected request on: the same, through database/sql (errors.Is(err,
// store.ErrUnsettled) holds on db.ExecContext's error).
func TestSQLUpdateRefusedFromThenOn(t *testing.T) {
	for _, op := range sqlOps {
		if op.name != "update" {
			continue
		}
		n := sqlRequestsOf(t, op)
		for at := 0; at < n; at++ {
			for _, kind := range []faultKind{fault401, fault404, fault410} {
				t.Run(fmt.Sprintf("%s/request%d/%s-from-then-on", op.name, at+1, kind.name), func(t *testing.T) {
					runSQLFault(t, op, at, kind, true)
				})
			}
		}
	}
}
