package benchmarks

import (
	"context"
	"sync"
	"time"
)

// gate stands in for localgh's latency (Options.Sleep) without sleeping: it holds every request
// until as many as the client is expected to keep in flight have arrived, then answers them
// together. Each release is one round trip, so waves counts the round trips an operation took,
// however fast the machine. When fewer requests arrive than expected (a client that sends them
// one at a time), a short real-time fallback releases them, and each such release still counts
// as a round trip.
type gate struct {
	width    int           // requests the client should keep in flight
	total    int           // requests the operation should send
	fallback time.Duration // releases a wave that does not fill

	mu       sync.Mutex
	waiting  int
	released int
	waves    int
	open     chan struct{}
}

func newGate(width, total int) *gate {
	return &gate{width: width, total: total, fallback: 200 * time.Millisecond, open: make(chan struct{})}
}

// want is how many requests the current wave should hold before it is released.
func (g *gate) want() int { return max(1, min(g.width, g.total-g.released)) }

// release answers the requests held. Callers hold g.mu.
func (g *gate) release() {
	close(g.open)
	g.open = make(chan struct{})
	g.released += g.waiting
	g.waiting = 0
	g.waves++
}

// sleep is localgh's Options.Sleep.
func (g *gate) sleep(ctx context.Context, _ time.Duration) error {
	g.mu.Lock()
	g.waiting++
	wave := g.open
	if g.waiting >= g.want() {
		g.release()
	}
	g.mu.Unlock()
	timer := time.NewTimer(g.fallback)
	defer timer.Stop()
	select {
	case <-wave:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		g.mu.Lock()
		if g.open == wave {
			g.release()
		}
		g.mu.Unlock()
		return nil
	}
}

// roundTrips is how many waves have been released.
func (g *gate) roundTrips() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waves
}
