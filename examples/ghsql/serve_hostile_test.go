package main

import (
	"bufio"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeRefusesOtherHosts: serve answers only for the loopback names and its bound address;
// a request for another Host (a DNS-rebinding page) is 421 and reads nothing.
func TestServeRefusesOtherHosts(t *testing.T) {
	url := startServe(t, "-dir", filepath.Join(t.TempDir(), "store"))
	port := strings.TrimSuffix(url[strings.LastIndex(url, ":")+1:], "/")
	for host, want := range map[string]int{
		"127.0.0.1:" + port:      200,
		"localhost:" + port:      200,
		"LOCALHOST":              200,
		"evil.example:" + port:   421,
		"evil.example":           421,
		"127.0.0.1.evil.example": 421,
	} {
		req, _ := http.NewRequest("GET", url+"repos/demo/demo/issues", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// TestServePublicNeedsHosts: -public must name the host names it is reached by.
func TestServePublicNeedsHosts(t *testing.T) {
	out, err := exec.Command("ghsql", "serve", "-public", "-addr", "127.0.0.1:0", "-dir", filepath.Join(t.TempDir(), "s")).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "-public needs -hosts") {
		t.Fatalf("serve -public without -hosts: %v\n%s", err, out)
	}
	url := startServe(t, "-public", "-hosts", "db.example.internal", "-dir", filepath.Join(t.TempDir(), "store"))
	req, _ := http.NewRequest("GET", url+"rate_limit", nil)
	req.Host = "db.example.internal"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a -hosts name: %d", resp.StatusCode)
	}
}

// TestServeRefusesBeforeReadingBodies: an anonymous client announcing a 100 MB body, or one
// with a bad token, is answered 401 at once, without serve waiting for the body; an announced
// body past the cap is 413 at once.
func TestServeRefusesBeforeReadingBodies(t *testing.T) {
	url := startServe(t, "-dir", filepath.Join(t.TempDir(), "store"), "-token", "the-token")
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	for auth, want := range map[string]string{"": "401", "Authorization: token wrong\r\n": "401", "Authorization: token the-token\r\n": "413"} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_, err = conn.Write([]byte("POST /repos/demo/demo/issues HTTP/1.1\r\nHost: " + addr + "\r\n" + auth +
			"Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{\"title\":"))
		if err != nil {
			t.Fatal(err)
		}
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, err := bufio.NewReader(conn).ReadString('\n')
		conn.Close()
		if err != nil || !strings.Contains(line, " "+want+" ") {
			t.Errorf("auth %q: %q, %v; want %s before the body", auth, line, err, want)
		}
	}
}

// TestServeHasTimeouts: the server serve runs cuts off slow and idle clients and bounds
// headers.
func TestServeHasTimeouts(t *testing.T) {
	hs := newHTTPServer(http.NotFoundHandler(), &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}, nil)
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 || hs.MaxHeaderBytes > 1<<20 {
		t.Fatalf("timeouts %v %v %v %v, headers %d", hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout, hs.MaxHeaderBytes)
	}
}
