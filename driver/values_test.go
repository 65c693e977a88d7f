package driver

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCheckArg(t *testing.T) {
	type score int
	type name string
	s := "x"
	var nilp *int
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		in   any
		want any
	}{
		{nil, nil},
		{int(-3), int64(-3)}, {int8(4), int64(4)}, {int16(5), int64(5)}, {int32(6), int64(6)}, {int64(7), int64(7)},
		{uint(8), int64(8)}, {uint8(9), int64(9)}, {uint16(10), int64(10)}, {uint32(11), int64(11)},
		{uint64(math.MaxInt64), int64(math.MaxInt64)},
		{float32(1.5), float64(1.5)}, {2.25, 2.25},
		{true, true}, {"s", "s"}, {[]byte("b"), []byte("b")},
		{json.RawMessage(`{"a":1}`), json.RawMessage(`{"a":1}`)},
		{now, now},
		{score(3), int64(3)}, {name("n"), "n"},
		{&s, "x"}, {nilp, nil}, {[]byte(nil), nil},
		{sql.NullString{}, nil}, {sql.NullInt64{Int64: 3, Valid: true}, int64(3)}, {(*sql.NullString)(nil), nil},
		{&sql.NullTime{Time: now, Valid: true}, now},
	}
	for _, tt := range tests {
		got, err := checkArg(tt.in)
		if err != nil {
			t.Errorf("checkArg(%T %v): %v", tt.in, tt.in, err)
			continue
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("checkArg(%T %v) (-want +got):\n%s", tt.in, tt.in, d)
		}
	}
	for _, bad := range []any{uint64(math.MaxInt64) + 1, map[string]int{"a": 1}, struct{ A int }{1}, []int{1}, make(chan int)} {
		_, err := checkArg(bad)
		if !errors.Is(err, ErrArgType) {
			t.Errorf("checkArg(%T) = %v, want ErrArgType", bad, err)
		}
	}
	_, err := checkArg(map[string]int{})
	if !strings.Contains(err.Error(), "map[string]int") {
		t.Errorf("error %q does not name the Go type", err)
	}
	// Byte slices are copied: a transaction keeps them until Commit.
	buf := []byte("abc")
	got, _ := checkArg(buf)
	buf[0] = 'X'
	if string(got.([]byte)) != "abc" {
		t.Errorf("checkArg kept the caller's buffer")
	}
}

func TestCheckNamedValueNamesArgument(t *testing.T) {
	cn := &conn{}
	err := cn.CheckNamedValue(&driver.NamedValue{Name: "who", Value: struct{}{}})
	if err == nil || !strings.Contains(err.Error(), ":who") || !strings.Contains(err.Error(), "struct {}") {
		t.Errorf("CheckNamedValue = %v, want it to name :who and struct {}", err)
	}
}

func TestResults(t *testing.T) {
	if _, err := (result{affected: 2}).LastInsertId(); !errors.Is(err, ErrNoInsertID) {
		t.Errorf("LastInsertId of a multi-row result = %v", err)
	}
	if n, err := (result{affected: 1, insertID: 7, hasInsertID: true}).LastInsertId(); n != 7 || err != nil {
		t.Errorf("LastInsertId = %d, %v", n, err)
	}
	if _, err := (bufferedResult{}).RowsAffected(); !errors.Is(err, ErrAfterCommit) || !strings.Contains(err.Error(), "after Commit") {
		t.Errorf("RowsAffected of a buffered write = %v", err)
	}
}

// countingServer counts every request it gets; a bad DSN must send none.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestBadDSNSendsNothing: every bad DSN fails at sql.Open (OpenConnector), naming the key and
// why, and no request reaches the server.
func TestBadDSNSendsNothing(t *testing.T) {
	srv, n := countingServer(t)
	base := "acme/app?token=t&base_url=" + srv.URL
	for _, tt := range []struct{ dsn, want string }{
		{base + "&colour=blue", "colour unknown key"},
		{base + "&apply=never", "apply must be inline or async"},
		{base + "&timeout=x", "timeout must be a Go duration"},
		{base + "&concurrency=0", "concurrency must be at least 1"},
		{base + "&dir=/tmp", "dir only the embedded backend"},
		{base + "&trusted=a_b", "trusted"},
		{"acme/a b?token=t&base_url=" + srv.URL, "repository name"},
		{"acme?token=t&base_url=" + srv.URL, "owner/repo"},
		{"acme/app?token=t&base_url=http://example.com/", "insecure=true"},
	} {
		t.Run(tt.dsn, func(t *testing.T) {
			db, err := sql.Open(DriverName, tt.dsn)
			if err == nil {
				err = db.Ping()
				db.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("sql.Open+Ping(%q) = %v, want an error containing %q", tt.dsn, err, tt.want)
			}
			if !errors.Is(err, ErrBadDSN) {
				t.Errorf("errors.Is(%v, ErrBadDSN) = false", err)
			}
		})
	}
	if got := n.Load(); got != 0 {
		t.Errorf("bad DSNs sent %d requests", got)
	}
}

func TestNoToken(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	_, err := sql.Open(DriverName, "acme/app")
	if !errors.Is(err, ErrNoToken) || !strings.Contains(err.Error(), "GITHUB_TOKEN") || !strings.Contains(err.Error(), "GH_TOKEN") {
		t.Errorf("sql.Open without a token = %v, want ErrNoToken naming GITHUB_TOKEN and GH_TOKEN", err)
	}
}

func TestIsolationAndClosedConn(t *testing.T) {
	cn := &conn{c: &connector{}}
	if _, err := cn.BeginTx(t.Context(), driver.TxOptions{Isolation: driver.IsolationLevel(sql.LevelSerializable)}); !errors.Is(err, ErrIsolation) || !strings.Contains(err.Error(), "Serializable") {
		t.Errorf("BeginTx(Serializable) = %v, want ErrIsolation naming the level", err)
	}
	dtx, err := cn.BeginTx(t.Context(), driver.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := dtx.(*tx).buffer("DELETE FROM objects", nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("write in a read-only tx = %v, want ErrReadOnly", err)
	}
	if err := dtx.Rollback(); err != nil {
		t.Fatal(err)
	}
	cn.Close()
	if _, err := cn.Prepare("SELECT 1"); !errors.Is(err, ErrClosed) {
		t.Errorf("Prepare on a closed conn = %v, want ErrClosed", err)
	}
	if cn.IsValid() {
		t.Error("closed conn IsValid")
	}
}
