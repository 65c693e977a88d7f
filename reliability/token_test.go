package reliability

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ghstore/ghstore/driver"
)

// tokenScan collects everything the stack produced, to be searched for the token.
type tokenScan struct {
	t     *testing.T
	texts []string
}

// add records one produced text, labelled with where it came from.
func (s *tokenScan) add(where, text string) {
	s.texts = append(s.texts, where+": "+text)
}

// addErr records err as %v, %+v and %#v.
func (s *tokenScan) addErr(where string, err error) {
	if err == nil {
		return
	}
	s.add(where, fmt.Sprintf("%v | %+v | %#v", err, err, err))
}

// check fails for every text that holds the token or a recognisable piece of it.
func (s *tokenScan) check() {
	s.t.Helper()
	for _, text := range s.texts {
		if strings.Contains(text, secretMarker) || strings.Contains(text, secretToken) {
			s.t.Errorf("the token appears in %s", text)
		}
	}
}

// badDSNs are DSNs carrying the token that ParseDSN must refuse, each for another reason.
var badDSNs = []string{
	"acme/data?token=" + secretToken + "&bogus=1",
	"acme/data?token=" + secretToken + "&token=" + secretToken,
	"acme/data?token=" + secretToken + "&base_url=ftp://example.com/",
	"acme/data?token=" + secretToken + "&base_url=http://example.com/",
	"acme/data?token=" + secretToken + "&base_url=http://user:" + secretToken + "@127.0.0.1/",
	"acme/data?token=" + secretToken + "&base_url=%zz",
	"acme/data?token=" + secretToken + "%zz",
	"acme/data?token=" + url.QueryEscape(secretToken+" x"),
	"acme/data?token=" + url.QueryEscape(secretToken+"\n"),
	"acme/data?token=" + secretToken + "&trusted=" + url.QueryEscape("a b"),
	"acme/data?token=" + secretToken + "&trusted=bob," + secretToken,
	"acme/data?token=" + secretToken + "&timeout=" + secretToken,
	"acme/data?token=" + secretToken + "&max_retries=" + secretToken,
	"acme/data?token=" + secretToken + "&apply=" + secretToken,
	"acme/data?cache=" + secretToken,
	"acme/data?" + secretToken,
	secretToken + "/data",
	secretToken,
	"acme/data?token=" + secretToken + "&dir=/tmp/x",
	"local:acme/data?token=" + secretToken + "&base_url=http://127.0.0.1/",
	"acme/da ta?token=" + secretToken,
	"acme?token=" + secretToken,
}

// TestTokenNeverShown runs every error path it can reach with a recognisable token — bad DSN
// values, 401, 404, 410, 422, rate limits, timeouts, connection resets, lost answers, an
// unreachable base_url — and scans everything produced: errors as %v, %+v and %#v, the Config
// as String, GoString, FormatDSN and fmt's verbs, and the standard logger's output.
func TestTokenNeverShown(t *testing.T) {
	scan := &tokenScan{t: t}
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)

	for _, dsn := range badDSNs {
		cfg, err := driver.ParseDSN(dsn)
		if err == nil {
			t.Errorf("ParseDSN accepted %q", strings.ReplaceAll(dsn, secretToken, "<token>"))
			scan.add("Config", fmt.Sprintf("%v %+v %#v %s %s", cfg, cfg, cfg, cfg.String(), cfg.FormatDSN()))
			continue
		}
		scan.addErr("ParseDSN", err)
	}

	w := newSQLWorld(t)
	cfg, err := driver.ParseDSN(w.dsn(secretToken, ""))
	must(t, err)
	scan.add("Config", fmt.Sprintf("%v|%+v|%#v|%s|%s|%s|%q", cfg, cfg, cfg, cfg.String(), cfg.GoString(), cfg.FormatDSN(), cfg))
	c, err := driver.NewConnector(cfg)
	must(t, err)
	scan.add("Connector.Config", fmt.Sprintf("%v|%+v|%#v", c.Config(), c.Config(), c.Config()))
	c.Close()

	db := w.open(secretToken, "")
	must(t, execAffecting(w.ctx, db, 1, `INSERT INTO objects (id, data) VALUES ('k', '{"v":1}')`))
	statements := []string{
		`SELECT data FROM objects WHERE id = 'k'`,
		`SELECT id FROM objects`,
		`INSERT INTO objects (id, data) VALUES ('n', '{"v":1}')`,
		`UPDATE objects SET v = v + 1 WHERE id = 'k'`,
		`DELETE FROM objects WHERE id = 'k'`,
		`SELECT * FROM history WHERE id = 'k'`,
	}
	for _, kind := range sqlFaults {
		for _, q := range statements {
			if persistentFault(kind) {
				w.faults.always("", "", kind)
			} else {
				w.faults.once("", "", 0, kind)
			}
			timeout := 20 * time.Second
			if kind.name == "hang" {
				timeout = 100 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(w.ctx, timeout)
			fresh := w.open(secretToken, "")
			rows, err := fresh.QueryContext(ctx, q)
			if err == nil {
				for rows.Next() {
				}
				err = rows.Err()
				rows.Close()
			}
			cancel()
			w.faults.off()
			scan.addErr(kind.name+" "+q, err)
		}
	}

	// A base_url where nothing listens.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	dead := "http://" + l.Addr().String() + "/"
	l.Close()
	deadDB := (&sqlWorld{world: w.world, baseURL: dead}).open(secretToken, "")
	ctx, cancel := context.WithTimeout(w.ctx, 10*time.Second)
	_, err = deadDB.ExecContext(ctx, `INSERT INTO objects (id, data) VALUES ('x', '{}')`)
	cancel()
	if err == nil {
		t.Error("a statement against a dead base_url succeeded")
	}
	scan.addErr("unreachable base_url", err)
	err = deadDB.PingContext(w.ctx)
	scan.addErr("unreachable base_url ping", err)

	scan.add("log", logged.String())
	scan.check()
}

// TestGhsqlNeverShowsTheToken builds ghsql and runs it against the world under faults, with the
// token in the DSN and in GITHUB_TOKEN, scanning its stdout and stderr.
func TestGhsqlNeverShowsTheToken(t *testing.T) {
	bin := buildGhsql(t)
	scan := &tokenScan{t: t}
	w := newSQLWorld(t)
	must(t, execAffecting(w.ctx, w.open(secretToken, ""), 1, `INSERT INTO objects (id, data) VALUES ('k', '{"v":1}')`))
	run := func(where string, env []string, args ...string) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = append(os.Environ(), env...)
		cmd.Dir = t.TempDir()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if ctx.Err() != nil {
			t.Errorf("ghsql %s did not finish within a minute (its DSN has timeout=2s)", where)
		}
		scan.add(where+" stdout", stdout.String())
		scan.add(where+" stderr", stderr.String())
		scan.addErr(where+" exit", err)
	}
	withToken := w.dsn(secretToken, "timeout=2s")
	noToken := strings.Replace(withToken, "&token="+url.QueryEscape(secretToken), "", 1)
	env := []string{"GITHUB_TOKEN=" + secretToken}
	for _, bad := range badDSNs {
		run("bad dsn", nil, "-dsn", bad, "-e", "SELECT 1")
	}
	for _, kind := range append([]faultKind{{name: "none"}}, sqlFaults...) {
		for _, args := range [][]string{
			{"-e", `SELECT id, data FROM objects`},
			{"-timing", "-e", `UPDATE objects SET v = v + 1 WHERE id = 'k'`},
			{"-format", "json", "-e", `SELECT * FROM history`},
			{"process", "-all"},
			{"snapshot", "-o", "-"},
		} {
			for _, dsnEnv := range []struct {
				dsn string
				env []string
			}{{withToken, nil}, {noToken, env}} {
				if persistentFault(kind) {
					w.faults.always("", "", kind)
				} else if kind.name != "none" {
					w.faults.once("", "", 0, kind)
				}
				full := append([]string{"-dsn", dsnEnv.dsn}, args...)
				if !strings.HasPrefix(args[0], "-") { // a subcommand comes first
					full = append([]string{args[0], "-dsn", dsnEnv.dsn}, args[1:]...)
				}
				run(kind.name+" "+strings.Join(args, " "), dsnEnv.env, full...)
				w.faults.off()
			}
		}
	}
	scan.check()
}
