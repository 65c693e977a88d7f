package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestFakeSleepAdvancesAtOnce(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f := NewFake(start)
	if err := f.Sleep(context.Background(), 90*time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := f.Now().Sub(start); got != 90*time.Minute {
		t.Fatalf("after sleeping 90m the fake clock moved %v", got)
	}
	f.Advance(time.Second)
	if got := f.Slept(); got != 90*time.Minute {
		t.Fatalf("Slept = %v, want 90m (Advance is not a sleep)", got)
	}
}

func TestFakeSleepHonoursContext(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f := NewFake(start)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.Sleep(ctx, time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on a cancelled context = %v, want context.Canceled", err)
	}

	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := f.Sleep(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Sleep past the deadline = %v, want context.DeadlineExceeded", err)
	}
	if !f.Now().Equal(start) {
		t.Fatalf("a refused sleep moved the clock to %v", f.Now())
	}
	if err := f.Sleep(ctx, time.Second); err != nil {
		t.Fatalf("Sleep within the deadline = %v", err)
	}
}

func TestRealSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (Real{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Real.Sleep on a cancelled context = %v, want context.Canceled", err)
	}
	if err := (Real{}).Sleep(context.Background(), 0); err != nil {
		t.Fatalf("Real.Sleep(0) = %v", err)
	}
}
