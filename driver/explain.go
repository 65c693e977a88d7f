package driver

import (
	"context"
	"database/sql/driver"

	"github.com/ghstore/ghstore/internal/transport"
	"github.com/ghstore/ghstore/query"
)

// rowsOf runs a statement that gives rows: EXPLAIN is answered here, from what the Connector
// knows, with no request sent; anything else goes to queryPlan.
func (c *connector) rowsOf(ctx context.Context, plan *query.Plan) (driver.Rows, error) {
	if !plan.Explain() {
		return c.queryPlan(ctx, plan)
	}
	cols, data := plan.ExplainWith(c.estimate())
	return &staticRows{cols: cols, data: data}, nil
}

// estimate is what EXPLAIN costs a plan with: the store as the last complete scan saw it, the
// apply mode, and the Connector's write pacing.
func (c *connector) estimate() query.Estimate {
	e := query.Estimate{Async: c.cfg.Apply == "async", Pacing: pacingOf(c.cfg), ReadLag: c.cfg.ReadLag}
	if f, ok := c.store.LastScan(); ok {
		e.Scanned, e.Objects, e.Open = true, f.Objects, f.Open
	}
	return e
}

// pacingOf is the pacing of content-creating requests cfg asks for (DESIGN.md §5, §6), as the
// transport applies it.
func pacingOf(cfg *Config) query.Pacing {
	return query.Pacing{
		PerMinute: cfg.WritesPerMinute,
		PerHour:   cfg.WritesPerHour,
		Interval:  cfg.WriteInterval,
		Burst:     transport.DefaultWriteBurst,
	}
}
