package benchmarks

import (
	"testing"
	"time"
)

func TestRoundTripsIsTheDepthOfTheRequests(t *testing.T) {
	at := func(ms int) time.Time { return time.Unix(0, 0).Add(time.Duration(ms) * time.Millisecond) }
	tests := []struct {
		name  string
		spans [][2]int // start, end in ms
		want  int
	}{
		{"none", nil, 0},
		{"one", [][2]int{{0, 50}}, 1},
		{"one after another", [][2]int{{0, 50}, {51, 101}, {102, 152}}, 3},
		{"side by side", [][2]int{{0, 50}, {1, 51}, {2, 52}, {3, 53}}, 1},
		{"page 1, then a window of 3, then 2 more", [][2]int{{0, 50}, {51, 101}, {51, 101}, {52, 102}, {102, 152}, {103, 153}}, 3},
		{"a sliding window: each next page as one is read", [][2]int{{0, 50}, {51, 101}, {52, 102}, {102, 152}, {103, 153}, {153, 203}}, 4},
	}
	for _, tt := range tests {
		f := &inflight{}
		for _, s := range tt.spans {
			f.spans = append(f.spans, span{at(s[0]), at(s[1])})
		}
		if got := f.roundTrips(); got != tt.want {
			t.Errorf("%s: %d round trips, want %d", tt.name, got, tt.want)
		}
	}
}
