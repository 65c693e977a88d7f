package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestExample runs the example on a fresh in-memory repository and checks what it printed: four
// concurrent workers claiming three tasks make exactly three claims, and all 12 attempts count.
func TestExample(t *testing.T) {
	dsn := fmt.Sprintf("local:demo/tasks%d", time.Now().UnixNano())
	var out strings.Builder
	if err := run(context.Background(), dsn, &out); err != nil {
		t.Fatalf("run: %v\noutput so far:\n%s", err, out.String())
	}
	want := `inserted 3 tasks
claims: 3 (one per task)
open: [write release (4 attempts) write tests (4 attempts)]
docs: done=true attempts=4 owned=true
`
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
}
