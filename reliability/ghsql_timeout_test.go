package reliability

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGhsqlSubcommandsHonourTheTimeout runs the built ghsql's process -all, process -issue,
// snapshot and update-snapshot against the world with every request hanging (localgh's Hang),
// the DSN saying timeout=300ms: each ends on its own, non-zero, saying it timed out, well
// before the guard of a minute.
//
// It found a hang: the DSN's timeout bounded SQL statements (the driver's statementContext) but
// not the Store work ghsql runs through Connector.Store() (ProcessAll, Snapshot), so with a hung
// server both commands were still running after a minute; in an Actions job a hung GitHub
// request would have held the job until its own 6-hour limit. Now the transport gives each
// request of work under a context without a deadline the DSN's timeout (RequestTimeout). The
// same commands under every other fault, scanned for the token, are TestGhsqlNeverShowsTheToken's.
func TestGhsqlSubcommandsHonourTheTimeout(t *testing.T) {
	bin := buildGhsql(t)
	w := newSQLWorld(t)
	must(t, execAffecting(w.ctx, w.open(secretToken, ""), 1, `INSERT INTO objects (id, data) VALUES ('k', '{"v":1}')`))
	dsn := w.dsn(secretToken, "timeout=300ms")
	snap := filepath.Join(t.TempDir(), "snap.json")
	if out, err := exec.Command(bin, "snapshot", "-dsn", dsn, "-o", snap).CombinedOutput(); err != nil {
		t.Fatalf("snapshot: %v\n%s", err, out)
	}
	w.faults.always("", "", faultHang)
	defer w.faults.off()
	for _, args := range [][]string{
		{"process", "-dsn", dsn, "-all"},
		{"process", "-dsn", dsn, "-issue", "1"},
		{"snapshot", "-dsn", dsn, "-o", "-"},
		{"update-snapshot", "-dsn", dsn, snap},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = t.TempDir()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		hung := ctx.Err() != nil
		cancel()
		switch {
		case hung:
			t.Errorf("ghsql %s %s was still running after a minute (the DSN has timeout=300ms)", args[0], args[3])
		case err == nil:
			t.Errorf("ghsql %s %s succeeded against a hung server", args[0], args[3])
		case !strings.Contains(stderr.String(), "timed out"):
			t.Errorf("ghsql %s %s: %v, stderr %q; want it to say it timed out", args[0], args[3], err, stderr.String())
		}
	}
}

// buildGhsql builds ghsql into a temporary directory and returns its path.
func buildGhsql(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ghsql")
	build := exec.Command("go", "build", "-o", bin, "github.com/ghstore/ghstore/examples/ghsql")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building ghsql: %v\n%s", err, out)
	}
	return bin
}
