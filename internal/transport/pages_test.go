package transport

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestPageGuard(t *testing.T) {
	for _, tc := range []struct {
		name    string
		urls    func(i int) string
		failsAt int // 0: never within MaxPages+1
	}{
		{"a loop back to page 1", func(i int) string { return fmt.Sprintf("https://h/r?page=%d", 1+i%3) }, 4},
		{"the same next", func(i int) string { return "https://h/r?page=2" }, 2},
		{"never ending", func(i int) string { return fmt.Sprintf("https://h/r?page=%d", i+1) }, MaxPages + 1},
	} {
		var g PageGuard
		failed := 0
		var err error
		for i := 0; i <= MaxPages; i++ {
			if err = g.Next(tc.urls(i)); err != nil {
				failed = i + 1
				break
			}
		}
		if failed != tc.failsAt || !errors.Is(err, ErrPagination) || !strings.Contains(err.Error(), "https://h/r?page=") {
			t.Errorf("%s: failed at call %d (%v), want %d", tc.name, failed, err, tc.failsAt)
		}
	}
	var g PageGuard
	for i := 1; i <= 50; i++ {
		if err := g.Next(fmt.Sprintf("https://h/r?page=%d", i)); err != nil {
			t.Fatalf("an ordinary listing stopped at page %d: %v", i, err)
		}
	}
}
