package reliability

import (
	"errors"
	"testing"

	"github.com/ghstore/ghstore/driver"
)

// TestPlainHTTPOnlyToLoopback: a base_url with plain http:// to anything but loopback is refused
// (before any request) unless the DSN says insecure=true.
func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	for dsn, ok := range map[string]bool{
		"acme/data?base_url=http://example.com/":                    false,
		"acme/data?base_url=http://10.0.0.1:8080/":                  false,
		"acme/data?base_url=http://127.0.0.1.example.com/":          false,
		"acme/data?base_url=http://[::ffff:8.8.8.8]/":               false,
		"acme/data?base_url=http://example.com/&insecure=true":      true,
		"acme/data?base_url=https://example.com/":                   true,
		"acme/data?base_url=http://127.0.0.1:9/":                    true,
		"acme/data?base_url=http://localhost:9/":                    true,
		"acme/data?base_url=http://[::1]:9/":                        true,
		"acme/data?base_url=http://example.com/&insecure=false":     false,
		"acme/data?base_url=HTTP://example.com/":                    false,
		"acme/data?base_url=http://example.com%2F@127.0.0.1/":       false,
		"acme/data?base_url=http://127.0.0.1:9/%2F..%2Fexample.com": true,
	} {
		_, err := driver.ParseDSN(dsn)
		if ok != (err == nil) {
			t.Errorf("ParseDSN(%q): err %v, want accepted %v", dsn, err, ok)
		}
		if err != nil && !errors.Is(err, driver.ErrBadDSN) {
			t.Errorf("ParseDSN(%q): %v is not ErrBadDSN", dsn, err)
		}
	}
}
