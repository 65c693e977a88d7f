// Package live holds ghstore's live suite: one fixed scenario through database/sql and the
// driver (insert, get, inline and async updates, a concurrent-increment race between two
// Connectors, scan, history, process, delete), with every figure of DESIGN.md §6 checked.
//
//	go test ./live -repo owner/repo                       # github.com, token from GITHUB_TOKEN
//	go test ./live -repo owner/repo -base-url https://ghe.example.com/api/v3   # GitHub Enterprise Server
//	go test ./live                                        # an in-process localgh with its Realism on
//
// The driver talks to a loopback proxy that records every exchange with go-vcr into a cassette
// (live/testdata/<host>-<date>.yaml against a real server; a temporary one against localgh),
// with the token and Authorization scrubbed, and counts requests as the client sends them
// (304s apart: GitHub does not charge them).
//
// Against a real repository the suite refuses one that holds gh-store objects other than its
// own (every id it makes starts with RunPrefix) and archives what it made, as DELETE does.
// Cassettes under testdata/ are replayed on every run: each must hold no secret, and every
// answer in it must decode through go-github to what ghstore reads.
package live

// RunPrefix starts the id of every object the suite makes; a repository holding gh-store
// objects whose ids do not start with it is not the suite's to use.
const RunPrefix = "ghstore-live-"
