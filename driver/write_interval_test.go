package driver

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestWriteIntervalReachesTheTransport: the DSN's write_interval spaces a Connector's
// content-creating requests after a burst of 3, and local: spaces none by default. Six inserts
// send 18 content-creating requests: at write_interval=20ms, the last goes at least 15 intervals after the
// first.
func TestWriteIntervalReachesTheTransport(t *testing.T) {
	tests := []struct {
		params string
		spaced bool
	}{
		{"", false},
		{"?write_interval=0", false},
		{"?write_interval=20ms", true},
	}
	for _, tt := range tests {
		t.Run(tt.params, func(t *testing.T) {
			t.Parallel()
			db, c := openDSN(t, "local:acme/"+uniqueRepo()+tt.params)
			ctx := context.Background()
			start := time.Now()
			for i := range 6 {
				if _, err := db.ExecContext(ctx, `INSERT INTO objects (id, data) VALUES (?, '{}')`, fmt.Sprintf("o%d", i)); err != nil {
					t.Fatal(err)
				}
			}
			s := c.Stats()
			if s.ContentCreating != 18 {
				t.Fatalf("6 inserts sent %d content-creating requests, want 18", s.ContentCreating)
			}
			if (s.Waits > 0) != tt.spaced {
				t.Fatalf("6 inserts waited %d times for pacing (%v), want waits: %v", s.Waits, s.Waited, tt.spaced)
			}
			if tt.spaced {
				// The 18th write goes at least 15 intervals after the first.
				if least := 15 * 20 * time.Millisecond; time.Since(start) < least {
					t.Fatalf("6 inserts took %v; spacing 15 writes 20ms apart takes at least %v", time.Since(start), least)
				}
			}
		})
	}
}
