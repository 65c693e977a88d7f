package store

import (
	"context"
	"sync"
)

// eachBounded calls fn(ctx, i) for i in [0, n), with at most limit calls running at once: the one
// shape of all the store's multi-object work (lookups of several ids, the open issues of a page,
// the issues ProcessAll settles, the +1s of one processing). GitHub answers independent requests
// side by side, so k of them cost about k/limit round trips instead of k.
//
// After the first call that fails, no further call starts and the context the running ones see
// is cancelled when cancelOnError is set (reads: their answers are no longer wanted); when it is
// not (writes that settle an issue: an interrupted settle would leave work half-done), the running
// ones finish. It returns the first failure in index order, or the context's error when it ended
// before every call started.
func eachBounded(ctx context.Context, n, limit int, cancelOnError bool, fn func(ctx context.Context, i int) error) error {
	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	var (
		mu     sync.Mutex
		failed bool
		wg     sync.WaitGroup
	)
	sem := make(chan struct{}, max(1, limit))
	started := 0
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		mu.Lock()
		stop := failed
		mu.Unlock()
		if stop || ctx.Err() != nil {
			break
		}
		started++
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(callCtx, i); err != nil {
				mu.Lock()
				errs[i], failed = err, true
				mu.Unlock()
				if cancelOnError {
					cancel()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if started < n {
		return ctx.Err()
	}
	return nil
}
