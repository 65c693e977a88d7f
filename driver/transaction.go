package driver

import (
	"context"
	"fmt"

	"github.com/ghstore/ghstore/query"
)

// tx is a transaction as DESIGN.md §4 has it. GitHub offers no atomic multi-issue write, so a
// transaction is a batch: each write is parsed and bound when it is Exec'd (a bad statement or
// argument fails at once, before anything is sent), kept, and applied in order at Commit.
// Reads inside the transaction run at once against committed state; they do not see the
// transaction's own buffered writes. Commit stops at the first failure with a *CommitError
// that says how many statements were applied (they stay applied) and wraps the cause.
type tx struct {
	cn       *conn
	ctx      context.Context // BeginTx's: it bounds Commit's requests
	readOnly bool
	ops      []bufferedWrite
	done     bool
}

type bufferedWrite struct {
	text string
	plan *query.Plan
}

func (t *tx) buffer(text string, plan *query.Plan) error {
	if t.done {
		return fmt.Errorf("ghstore: transaction already ended")
	}
	if t.readOnly {
		return fmt.Errorf("%w: %s", ErrReadOnly, abbreviate(text, 80))
	}
	t.ops = append(t.ops, bufferedWrite{text: text, plan: plan})
	return nil
}

func (t *tx) end() {
	t.done = true
	t.ops = nil
	if t.cn.tx == t {
		t.cn.tx = nil
	}
}

// Commit applies the buffered writes in order.
func (t *tx) Commit() error {
	if t.done {
		return fmt.Errorf("ghstore: transaction already ended")
	}
	ops := t.ops
	t.end()
	for i, op := range ops {
		ctx, cancel := t.cn.c.statementContext(t.ctx)
		_, err := t.cn.c.execPlan(ctx, op.plan)
		cancel()
		if err != nil {
			return &CommitError{Applied: i, Total: len(ops), Statement: op.text, Err: err}
		}
	}
	return nil
}

// Rollback discards the buffered writes; nothing was sent.
func (t *tx) Rollback() error {
	if t.done {
		return fmt.Errorf("ghstore: transaction already ended")
	}
	t.end()
	return nil
}
