package driver

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ghstore/ghstore/internal/idkey"
	"iter"

	"github.com/ghstore/ghstore/query"
	"github.com/ghstore/ghstore/store"
)

// This file runs bound plans on the store: query decides what to fetch and computes every
// value; the driver fetches, hands records over and writes back.

// objectRecord is a store object as query sees it.
func objectRecord(o *store.Object) *query.Record {
	return &query.Record{
		ID:        o.ID,
		Data:      o.Data,
		Issue:     int64(o.Issue),
		Version:   int64(o.Version),
		Pending:   int64(o.Pending),
		CreatedAt: o.CreatedAt,
		UpdatedAt: o.UpdatedAt,
		Source:    o,
	}
}

// entryRecord is one history entry as query sees it.
func entryRecord(e *store.Entry) *query.Record {
	return &query.Record{
		ID:        e.ID,
		Seq:       int64(e.Seq),
		Kind:      e.Kind,
		Data:      e.Data,
		Author:    e.Author,
		Trusted:   e.Trusted,
		Applied:   e.Applied,
		Processed: e.Processed,
		CreatedAt: e.CreatedAt,
		CommentID: e.CommentID,
	}
}

// run is one statement's work: the Connector, and the store view it reads, refreshed once for
// the statement when the DSN says cache=mirror (DESIGN.md §6: an unchanged repository costs one
// request answered 304 per statement).
type run struct {
	c  *connector
	st *store.Store
}

// newRun starts a statement; reads tells whether it reads anything (a plain INSERT does not, so
// it needs no refresh).
func (c *connector) newRun(ctx context.Context, reads bool) (*run, error) {
	if !reads {
		return &run{c: c, st: c.store}, nil
	}
	st, err := c.store.Refreshed(ctx)
	if err != nil {
		return nil, err
	}
	return &run{c: c, st: st}, nil
}

// queryPlan runs a SELECT for its rows. The rows own a context derived from ctx (with the DSN's
// timeout when ctx has none), cancelled by Rows.Close.
func (c *connector) queryPlan(ctx context.Context, plan *query.Plan) (driver.Rows, error) {
	ctx, cancel := c.statementContext(ctx)
	r, err := c.newRun(ctx, true)
	if err != nil {
		cancel()
		return nil, err
	}
	var records iter.Seq2[*query.Record, error]
	switch plan.Table() {
	case query.History:
		records = r.historyRecords(ctx, plan.Access())
	default:
		records = r.objectRecords(ctx, plan.Access())
	}
	return newRows(plan.Columns(), plan.Table(), plan.Select(records), cancel), nil
}

// objects yields the objects an access names: point lookups in one concurrent GetMany, or a
// scan that pages through the store as it is pulled. A scan that runs to its end leaves M and P
// in the store (Store.LastScan) for EXPLAIN.
//
// Point lookups of more ids than a scan would cost requests become a scan, when a scan has
// measured the store (DESIGN.md §6); the plan's WHERE still holds the id predicate, so Select
// and Match keep exactly the objects named. Before any scan the store's size is unknown and
// point lookups are kept: guessing "small" could scan a large store.
func (r *run) objects(ctx context.Context, acc query.Access) iter.Seq2[*store.Object, error] {
	if f, ok := r.st.LastScan(); ok && acc.ScanCheaper(f.Objects, f.Open) {
		acc = query.Access{Scan: true}
	}
	return func(yield func(*store.Object, error) bool) {
		switch {
		case len(acc.IDs) > 0:
			objs, err := r.st.GetMany(ctx, acc.IDs)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, o := range objs {
				if !yield(o, nil) {
					return
				}
			}
		case acc.Scan:
			for o, err := range r.st.List(ctx, store.ListOptions{}) {
				if err != nil {
					yield(nil, err)
					return
				}
				if !yield(o, nil) {
					return
				}
			}
		}
	}
}

func (r *run) objectRecords(ctx context.Context, acc query.Access) iter.Seq2[*query.Record, error] {
	return func(yield func(*query.Record, error) bool) {
		for o, err := range r.objects(ctx, acc) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(objectRecord(o), nil) {
				return
			}
		}
	}
}

// historyRecords yields the log of each object the access names, one object's log at a time.
func (r *run) historyRecords(ctx context.Context, acc query.Access) iter.Seq2[*query.Record, error] {
	return func(yield func(*query.Record, error) bool) {
		logOf := func(id string) bool {
			entries, err := r.st.History(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				return true
			}
			if err != nil {
				yield(nil, err)
				return false
			}
			for i := range entries {
				if !yield(entryRecord(&entries[i]), nil) {
					return false
				}
			}
			return true
		}
		if len(acc.IDs) > 0 {
			for _, id := range acc.IDs {
				if !logOf(id) {
					return
				}
			}
			return
		}
		if !acc.Scan {
			return
		}
		for o, err := range r.objects(ctx, acc) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !logOf(o.ID) {
				return
			}
		}
	}
}

// execPlan runs a write (ctx already carries the statement's deadline).
func (c *connector) execPlan(ctx context.Context, plan *query.Plan) (driver.Result, error) {
	r, err := c.newRun(ctx, plan.Kind() != query.Insert || plan.Upsert())
	if err != nil {
		return nil, err
	}
	switch plan.Kind() {
	case query.Insert:
		if plan.Upsert() {
			return r.upsert(ctx, plan)
		}
		return r.insert(ctx, plan)
	case query.Update:
		return r.update(ctx, plan)
	case query.Delete:
		return r.delete(ctx, plan)
	}
	return nil, fmt.Errorf("ghstore: internal error: statement kind %d is not a write", plan.Kind())
}

// writeErr wraps the failure of write number done+1 of total, of object id: a *WriteError when
// the statement wrote several objects, so the caller learns what stays written.
func writeErr(verb string, done, total int, id string, err error) error {
	if total <= 1 {
		return err
	}
	return &WriteError{Verb: verb, Done: done, Total: total, ID: id, Err: err}
}

// insert creates each row's object, in order.
func (r *run) insert(ctx context.Context, plan *query.Plan) (driver.Result, error) {
	rows, err := plan.Rows()
	if err != nil {
		return nil, err
	}
	var res result
	for i, row := range rows {
		reportProgress(ctx, "inserting", i, len(rows), row.ID)
		obj, err := r.st.Create(ctx, row.ID, row.Data)
		if err != nil {
			return nil, writeErr("inserted", i, len(rows), row.ID, err)
		}
		res.affected++
		if len(rows) == 1 {
			res.insertID, res.hasInsertID = int64(obj.Issue), true
		}
	}
	return res, nil
}

// upsert is INSERT … ON DUPLICATE KEY UPDATE: it reads the offered ids in one GetMany, then
// creates each new row and assigns each existing one. A row whose Create loses a race to
// another writer is read and assigned instead, as MySQL would.
func (r *run) upsert(ctx context.Context, plan *query.Plan) (driver.Result, error) {
	rows, err := plan.Rows()
	if err != nil {
		return nil, err
	}
	existing := map[string]*store.Object{}
	if ids := plan.Access().IDs; len(ids) > 0 {
		objs, err := r.st.GetMany(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			existing[idkey.Of(o.ID)] = o
		}
	}
	var res result
	for i, row := range rows {
		reportProgress(ctx, "upserting", i, len(rows), row.ID)
		key := idkey.Of(row.ID)
		obj := existing[key]
		var n int64
		if obj == nil {
			created, err := r.st.Create(ctx, row.ID, row.Data)
			switch {
			case err == nil:
				existing[key], n = created, 1
				obj = created
			case errors.Is(err, store.ErrDuplicateKey):
				if obj, err = r.st.Get(ctx, row.ID); err != nil {
					return nil, writeErr("upserted", i, len(rows), row.ID, err)
				}
			default:
				return nil, writeErr("upserted", i, len(rows), row.ID, err)
			}
		}
		if n == 0 {
			updated, changed, err := r.st.UpdateObjectFunc(ctx, obj, func(cur *store.Object) (json.RawMessage, error) {
				return plan.AssignDuplicate(objectRecord(cur), row)
			})
			if err != nil {
				return nil, writeErr("upserted", i, len(rows), row.ID, err)
			}
			if changed {
				existing[key], n = updated, 2
				obj = updated
			}
		}
		res.affected += n
		if len(rows) == 1 {
			res.insertID, res.hasInsertID = int64(obj.Issue), true
		}
	}
	return res, nil
}

// matching fetches what the access names and keeps the objects WHERE matches. It reads all of
// them before anything is written, so a write cannot move the scan's pages under it.
func (r *run) matching(ctx context.Context, plan *query.Plan) ([]*store.Object, error) {
	var out []*store.Object
	for rec, err := range plan.Filter(r.objectRecords(ctx, plan.Access())) {
		if err != nil {
			return nil, err
		}
		out = append(out, rec.Source.(*store.Object))
	}
	return out, nil
}

// update computes every matched object's new data before it sends anything (a bad assignment
// writes nothing), then writes each change serializably (DESIGN.md §3a): one comment per changed
// object, none for an object left equal, which is not counted. When another writer's update of
// an object lands first, the store hands back the object as that update left it, and WHERE and
// SET are evaluated again on it (PostgreSQL's READ COMMITTED): the object is written if WHERE
// still holds, and not counted if it no longer does.
func (r *run) update(ctx context.Context, plan *query.Plan) (driver.Result, error) {
	objs, err := r.matching(ctx, plan)
	if err != nil {
		return nil, err
	}
	datas := make([][]byte, len(objs))
	for i, o := range objs {
		if datas[i], err = plan.Assign(objectRecord(o)); err != nil {
			return nil, fmt.Errorf("ghstore: update %q: %w", o.ID, err)
		}
	}
	var res result
	for i, o := range objs {
		reportProgress(ctx, "updating", i, len(objs), o.ID)
		_, changed, err := r.st.UpdateObjectFunc(ctx, o, reevaluate(plan, o, datas[i]))
		if err != nil {
			return nil, writeErr("updated", i, len(objs), o.ID, err)
		}
		if changed {
			res.affected++
		}
	}
	return res, nil
}

// reevaluate is the function an UPDATE hands the store for one object: on the object as matched
// it gives the data already computed; on any later state (a lost race) it evaluates WHERE and
// SET again, and leaves the object alone when WHERE no longer holds.
func reevaluate(plan *query.Plan, matched *store.Object, data []byte) func(*store.Object) (json.RawMessage, error) {
	return func(cur *store.Object) (json.RawMessage, error) {
		if cur == matched {
			return data, nil
		}
		rec := objectRecord(cur)
		ok, err := plan.Match(rec)
		if err != nil || !ok {
			return nil, err
		}
		d, err := plan.Assign(rec)
		if err != nil {
			return nil, fmt.Errorf("ghstore: update %q: %w", cur.ID, err)
		}
		return d, nil
	}
}

// delete archives every matched object. One deleted by someone else meanwhile is not counted.
func (r *run) delete(ctx context.Context, plan *query.Plan) (driver.Result, error) {
	objs, err := r.matching(ctx, plan)
	if err != nil {
		return nil, err
	}
	var res result
	for i, o := range objs {
		reportProgress(ctx, "deleting", i, len(objs), o.ID)
		err := r.st.DeleteObject(ctx, o)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, writeErr("deleted", i, len(objs), o.ID, err)
		}
		res.affected++
	}
	return res, nil
}
