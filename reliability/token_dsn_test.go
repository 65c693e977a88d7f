package reliability

import (
	"strings"
	"testing"

	"github.com/ghstore/ghstore/driver"
)

// TestDSNErrorsNeverEchoTheToken: a token pasted into the wrong key (timeout=, max_retries=,
// apply=, cache=, insecure=, writes_per_minute=), with token= holding it too or not, or taken
// from GITHUB_TOKEN, is refused with an error that names the key and withholds the value.
//
// It found a leak: ParseDSN's errors quoted the bad value (`timeout must be a Go duration …
// (got "ghp_SECRETSECRET1234")`), and ghsql printed them on stderr. Now a value is quoted only
// when it cannot be a token (driver/secrets.go).
func TestDSNErrorsNeverEchoTheToken(t *testing.T) {
	scan := &tokenScan{t: t}
	keys := []string{"timeout", "max_retries", "apply", "cache", "insecure", "writes_per_minute", "writes_per_hour", "concurrency"}
	for _, key := range keys {
		for _, dsn := range []string{
			"acme/data?token=" + secretToken + "&" + key + "=" + secretToken,
			"acme/data?" + key + "=" + secretToken,
		} {
			_, err := driver.ParseDSN(dsn)
			if err == nil {
				t.Errorf("ParseDSN accepted %s=<token>", key)
				continue
			}
			if !strings.Contains(err.Error(), key+" must") || !strings.Contains(err.Error(), "value withheld") {
				t.Errorf("ParseDSN(%s=<token>) = %q, want it to name %s and say the value is withheld", key, strings.ReplaceAll(err.Error(), secretToken, "<token>"), key)
			}
			scan.addErr(key, err)
		}
	}
	// A token of no recognisable shape, from the environment.
	const plain = "plainSECRETSECRETenv"
	t.Setenv("GITHUB_TOKEN", plain)
	for _, key := range keys {
		_, err := driver.ParseDSN("acme/data?" + key + "=" + plain)
		if err == nil {
			t.Errorf("ParseDSN accepted %s=<GITHUB_TOKEN>", key)
		}
		scan.addErr(key+" (GITHUB_TOKEN)", err)
	}
	scan.check()
}
