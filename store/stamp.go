package store

import (
	"sync"
	"time"

	"github.com/ghstore/ghstore/internal/clock"
)

// stamps hands out the envelope timestamps of one Store: the clock's time to the microsecond,
// strictly increasing. Two comments this Store writes are therefore never byte for byte the same,
// which is what lets a retry after a lost answer recognise its own comment in the log: writing
// {"a":1} again, a second later on a coarse clock, must not be taken for the first {"a":1}.
type stamps struct {
	clock clock.Clock
	mu    sync.Mutex
	last  time.Time
}

func (s *stamps) next() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.clock.Now().UTC().Truncate(time.Microsecond)
	if !t.After(s.last) {
		t = s.last.Add(time.Microsecond)
	}
	s.last = t
	return t
}
