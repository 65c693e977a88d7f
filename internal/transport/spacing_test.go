package transport

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// spacedSchedule is when the i-th write (from 0) goes at the earliest with a burst of burst and
// then interval between sends, perHour per hour, sent one after another (80 a minute never binds
// at 1 s apart): each hour begins with a burst again, the hour's writes then go a second apart.
func spacedSchedule(i, burst, perHour int, interval time.Duration) time.Duration {
	hour, inHour := i/perHour, i%perHour
	return time.Duration(hour)*time.Hour + time.Duration(max(0, inHour-(burst-1)))*interval
}

func TestWriteIntervalAfterABurst(t *testing.T) {
	tests := []struct {
		name             string
		n, burst         int
		interval         time.Duration
		perMinute, perHr int
		want             func(i int) time.Duration
		wantTotal        time.Duration
	}{
		{"default burst, 1s", 10, 0, time.Second, 0, 0,
			func(i int) time.Duration { return spacedSchedule(i, DefaultWriteBurst, 1<<30, time.Second) }, 7 * time.Second},
		{"burst 1 is plain spacing", 5, 1, 2 * time.Second, 0, 0,
			func(i int) time.Duration { return time.Duration(i) * 2 * time.Second }, 8 * time.Second},
		{"with the 80/min and 500/h windows", 1100, 0, time.Second, 80, 500,
			func(i int) time.Duration { return spacedSchedule(i, DefaultWriteBurst, 500, time.Second) }, 2*time.Hour + 97*time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := fakeClock()
			log := &sendLog{clock: clk}
			tr := New(Options{Base: log, Clock: clk, WriteInterval: tt.interval, WriteBurst: tt.burst,
				WritesPerMinute: tt.perMinute, WritesPerHour: tt.perHr})
			for i := range tt.n {
				if _, _, err := do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/repos/o/r/issues", `{}`); err != nil {
					t.Fatalf("write %d: %v", i, err)
				}
			}
			for i, at := range log.at {
				if want := epoch.Add(tt.want(i)); !at.Equal(want) {
					t.Fatalf("write %d went at +%v, want +%v", i, at.Sub(epoch), want.Sub(epoch))
				}
			}
			if tt.perMinute > 0 {
				checkWindows(t, log.at, tt.perMinute, time.Minute)
				checkWindows(t, log.at, tt.perHr, time.Hour)
			}
			if total := clk.Now().Sub(epoch); total != tt.wantTotal {
				t.Fatalf("%d writes took %v of fake time, want %v", tt.n, total, tt.wantTotal)
			}
		})
	}
}

func TestWriteIntervalGivesTheBurstBackWhenIdle(t *testing.T) {
	clk := fakeClock()
	log := &sendLog{clock: clk}
	tr := New(Options{Base: log, Clock: clk, WriteInterval: time.Second})
	post := func() {
		t.Helper()
		if _, _, err := do(t, tr, context.Background(), http.MethodPatch, "https://api.github.invalid/repos/o/r/issues/1", `{}`); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 { // 0, 0, 0, 1, 2
		post()
	}
	// Idle long enough for the whole burst to come back (3 s after the last send's slot), and a
	// bit more: the next three go at once, the fourth a second later.
	clk.Advance(10 * time.Second)
	resume := clk.Now()
	for range 4 {
		post()
	}
	got := []time.Duration{}
	for _, at := range log.at[5:] {
		got = append(got, at.Sub(resume))
	}
	want := []time.Duration{0, 0, 0, time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("after idling, writes went at %v after resuming, want %v", got, want)
		}
	}
	// A half-spent burst: idle 1 s gives one write back, not three.
	clk.Advance(time.Second)
	resume = clk.Now()
	post()
	post()
	if a, b := log.at[9].Sub(resume), log.at[10].Sub(resume); a != 0 || b != time.Second {
		t.Fatalf("after a second's idling, writes went at +%v and +%v, want +0s and +1s", a, b)
	}
}

func TestWriteIntervalLeavesReadsAlone(t *testing.T) {
	clk := fakeClock()
	tr := New(Options{Base: &sendLog{clock: clk}, Clock: clk, WriteInterval: time.Hour, WriteBurst: 1})
	do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}")
	for range 20 {
		get(t, tr, context.Background(), "https://api.github.invalid/x")
	}
	if clk.Slept() != 0 {
		t.Fatalf("reads waited %v behind the write interval", clk.Slept())
	}
}

func TestWriteIntervalFailsFastPastTheDeadline(t *testing.T) {
	clk := fakeClock()
	log := &sendLog{clock: clk}
	tr := New(Options{Base: log, Clock: clk, WriteInterval: time.Minute, WriteBurst: 1})
	do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err := do(t, tr, ctx, http.MethodPost, "https://api.github.invalid/x", "{}")
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Secondary || rl.Status != 0 || !rl.Reset.Equal(epoch.Add(time.Minute)) {
		t.Fatalf("err %v (%+v), want a client-side secondary RateLimitError resetting at +1m", err, rl)
	}
	// The refused write took no slot: a patient caller goes at +1m, the next at +2m.
	do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}")
	do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}")
	if len(log.at) != 3 || !log.at[1].Equal(epoch.Add(time.Minute)) || !log.at[2].Equal(epoch.Add(2*time.Minute)) {
		t.Fatalf("sends at %v", log.at)
	}
}

// heldBase holds every write until release is closed (or the write's context ends), and counts
// the writes it holds at once.
type heldBase struct {
	arrived chan string // the path of each write as it arrives
	release chan struct{}
	now     atomic.Int32
	max     atomic.Int32
}

func (b *heldBase) RoundTrip(r *http.Request) (*http.Response, error) {
	if isContentCreating(r.Method) {
		n := b.now.Add(1)
		defer b.now.Add(-1)
		for {
			m := b.max.Load()
			if n <= m || b.max.CompareAndSwap(m, n) {
				break
			}
		}
		b.arrived <- r.URL.Path
		select {
		case <-b.release:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return scripted().RoundTrip(r)
}

func TestSerialWritesGoOneAtATime(t *testing.T) {
	for _, opts := range []Options{{SerialWrites: true}, {WriteInterval: time.Millisecond, WriteBurst: 100}} {
		base := &heldBase{arrived: make(chan string, 16), release: make(chan struct{})}
		opts.Base, opts.Clock = base, fakeClock()
		tr := New(opts)
		first := make(chan error, 1)
		go func() {
			_, _, err := do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/first", "{}")
			first <- err
		}()
		if p := <-base.arrived; p != "/first" {
			t.Fatalf("arrived %s", p)
		}
		// While the first write is in flight, a read goes through, and a second write waits
		// for it: here until its context ends, without reaching the server.
		if _, _, err := get(t, tr, context.Background(), "https://api.github.invalid/read"); err != nil {
			t.Fatalf("a read behind a write in flight: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		_, _, err := do(t, tr, ctx, http.MethodPost, "https://api.github.invalid/second", "{}")
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%+v: a write sent while another was in flight: err %v, want it held until its deadline", opts, err)
		}
		if len(base.arrived) != 0 {
			t.Fatalf("%+v: a second write reached the server while the first was in flight", opts)
		}
		close(base.release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		// Many writers at once: the server never holds two writes.
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					if _, _, err := do(t, tr, context.Background(), http.MethodDelete, "https://api.github.invalid/x", ""); err != nil {
						t.Error(err)
					}
					<-base.arrived
				}
			}()
		}
		wg.Wait()
		if m := base.max.Load(); m != 1 {
			t.Fatalf("%+v: %d writes in flight at once, want 1", opts, m)
		}
	}
}

func TestWritesGoSideBySideWithoutSerialWrites(t *testing.T) {
	// The control for TestSerialWritesGoOneAtATime: without SerialWrites or a WriteInterval,
	// a second write reaches the server while the first is held.
	base := &heldBase{arrived: make(chan string, 16), release: make(chan struct{})}
	tr := New(Options{Base: base, Clock: fakeClock()})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do(t, tr, context.Background(), http.MethodPost, "https://api.github.invalid/x", "{}")
		}()
	}
	<-base.arrived
	<-base.arrived
	close(base.release)
	wg.Wait()
	if m := base.max.Load(); m != 2 {
		t.Fatalf("%d writes in flight at once, want 2", m)
	}
}
