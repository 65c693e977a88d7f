package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"time"
)

// serve answers only requests addressed to it: a Host header naming another host is what a
// DNS-rebinding page in a browser sends (evil.example resolving to 127.0.0.1), and answering it
// would hand the page every repository. The names served are the loopback names, the address
// serve is bound to, and with -public the names -hosts gives.

// The server's timeouts: a client that sends its headers or body slowly, or reads the answer
// slowly, or keeps an idle connection, is cut off; headers are bounded too.
const (
	serveReadHeaderTimeout = 10 * time.Second
	serveReadTimeout       = 60 * time.Second
	serveWriteTimeout      = 60 * time.Second
	serveIdleTimeout       = 120 * time.Second
	serveMaxHeaderBytes    = 64 << 10
)

// hostGuard answers 421 to a request whose Host is not one of hosts.
type hostGuard struct {
	next  http.Handler
	hosts map[string]bool // lower-case host names and IPs, without port
	names string          // for the error
}

// newHostGuard serves next for the loopback names, bound's host (unless it is unspecified,
// 0.0.0.0 or ::) and extra.
func newHostGuard(next http.Handler, bound net.Addr, extra []string) *hostGuard {
	g := &hostGuard{next: next, hosts: map[string]bool{}}
	names := []string{"localhost", "127.0.0.1", "::1"}
	if host, _, err := net.SplitHostPort(bound.String()); err == nil {
		if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() {
			names = append(names, ip.String())
		}
	}
	names = append(names, extra...)
	var shown []string
	for _, n := range names {
		n = strings.ToLower(strings.Trim(strings.TrimSpace(n), "[]"))
		if n != "" && !g.hosts[n] {
			g.hosts[n] = true
			shown = append(shown, n)
		}
	}
	g.names = strings.Join(shown, ", ")
	return g
}

func (g *hostGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if !g.hosts[host] {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusMisdirectedRequest)
		body, _ := json.Marshal(map[string]string{
			"message":           "Misdirected Request: this server answers only for " + g.names + " (name others with -public -hosts)",
			"documentation_url": "https://docs.github.com/rest", "status": "421"})
		_, _ = w.Write(body)
		return
	}
	g.next.ServeHTTP(w, r)
}

// newHTTPServer is the http.Server serve runs: h behind the Host check, with the timeouts.
func newHTTPServer(h http.Handler, bound net.Addr, hosts []string) *http.Server {
	return &http.Server{
		Handler:           newHostGuard(h, bound, hosts),
		ReadHeaderTimeout: serveReadHeaderTimeout,
		ReadTimeout:       serveReadTimeout,
		WriteTimeout:      serveWriteTimeout,
		IdleTimeout:       serveIdleTimeout,
		MaxHeaderBytes:    serveMaxHeaderBytes,
	}
}

// splitHosts reads -hosts: names separated by commas.
func splitHosts(s string) []string {
	var out []string
	for _, h := range strings.Split(s, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}
