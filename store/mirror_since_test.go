package store

import (
	"net/http"
	"testing"
	"time"
)

func TestSinceAfterBusySecond(t *testing.T) {
	newest := time.Date(2026, 12, 1, 12, 0, 7, 0, time.UTC)
	next := newest.Add(time.Second)
	tests := []struct {
		name     string
		atNewest int
		now      time.Time
		lag      time.Duration
		want     time.Time
		ok       bool
	}{
		{"a quiet second stays (lazily, as before)", mirrorMoveSince, newest.Add(time.Hour), 0, newest, false},
		{"a busy second that is over moves on", mirrorMoveSince + 1, newest.Add(time.Minute), 0, next, true},
		{"150 issues of one second, a minute later", 150, newest.Add(time.Minute), 0, next, true},
		{"a busy second still under way stays", 150, newest.Add(500 * time.Millisecond), 0, newest, false},
		{"just over, but within the clock slack", 150, next.Add(mirrorClockSlack - time.Millisecond), 0, newest, false},
		{"over with the slack to spare", 150, next.Add(mirrorClockSlack), 0, next, true},
		{"over, but within the read lag", 150, next.Add(mirrorClockSlack + 2*time.Second), 5 * time.Second, newest, false},
		{"over, past the read lag", 150, next.Add(mirrorClockSlack + 5*time.Second), 5 * time.Second, next, true},
		{"no Date from the server stays", 150, time.Time{}, 0, newest, false},
	}
	for _, tt := range tests {
		got, ok := sinceAfterBusySecond(newest, tt.atNewest, tt.now, tt.lag)
		if !got.Equal(tt.want) || ok != tt.ok {
			t.Errorf("%s: %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestServerNow(t *testing.T) {
	h := http.Header{}
	if !serverNow(h).IsZero() {
		t.Fatal("no Date: want the zero time")
	}
	h.Set("Date", "Tue, 01 Dec 2026 12:00:09 GMT")
	if got := serverNow(h); !got.Equal(time.Date(2026, 12, 1, 12, 0, 9, 0, time.UTC)) {
		t.Fatalf("serverNow = %v", got)
	}
	h.Set("Date", "yesterday")
	if !serverNow(h).IsZero() {
		t.Fatal("a bad Date: want the zero time")
	}
}
