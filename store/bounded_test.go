package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func TestEachBounded(t *testing.T) {
	t.Run("at most limit at once, every index once", func(t *testing.T) {
		var running, peak atomic.Int32
		seen := make([]atomic.Int32, 50)
		release := make(chan struct{})
		var once sync.Once
		err := eachBounded(t.Context(), 50, 4, false, func(ctx context.Context, i int) error {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			if n == 4 {
				once.Do(func() { close(release) })
			}
			<-release // the first calls wait until 4 run together: a sequential loop never gets there
			seen[i].Add(1)
			running.Add(-1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if peak.Load() != 4 {
			t.Errorf("peak %d in flight, want 4", peak.Load())
		}
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Fatalf("index %d ran %d times", i, seen[i].Load())
			}
		}
	})
	t.Run("no start after a failure; the first failure by index", func(t *testing.T) {
		var calls atomic.Int32
		boom := errors.New("boom")
		err := eachBounded(t.Context(), 100, 1, false, func(ctx context.Context, i int) error {
			calls.Add(1)
			if i == 3 {
				return fmt.Errorf("call %d: %w", i, boom)
			}
			return nil
		})
		if !errors.Is(err, boom) || calls.Load() != 4 {
			t.Fatalf("err %v after %d calls, want boom after 4", err, calls.Load())
		}
	})
	t.Run("a cancelled context starts nothing", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := eachBounded(ctx, 5, 2, true, func(context.Context, int) error {
			t.Error("called on a cancelled context")
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v", err)
		}
	})
}
