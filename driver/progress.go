package driver

import "context"

// WriteProgress is how far a statement that writes objects has got: Done of Total objects are
// written (and stay written), and ID is the one under way ("" once all are done).
type WriteProgress struct {
	Verb        string // "inserting", "updating", "upserting", "deleting"
	Done, Total int
	ID          string
}

// progressKey carries a statement's progress callback in its context.
type progressKey struct{}

// WithProgress returns a context under which a statement that writes objects calls f before each
// object it writes, and once when all are written. f runs on the statement's goroutine: it must
// be quick and must not block.
func WithProgress(ctx context.Context, f func(WriteProgress)) context.Context {
	return context.WithValue(ctx, progressKey{}, f)
}

// reportProgress tells ctx's progress callback, if any, that done of total objects are written
// and id is under way.
func reportProgress(ctx context.Context, verb string, done, total int, id string) {
	if f, ok := ctx.Value(progressKey{}).(func(WriteProgress)); ok && f != nil {
		f(WriteProgress{Verb: verb, Done: done, Total: total, ID: id})
	}
}
