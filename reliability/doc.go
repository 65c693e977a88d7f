// Package reliability holds ghstore's reliability and security tests: faults injected into every
// layer of the stack (database/sql → driver → store → transport → internal/localgh), a seeded
// randomised long run checked against an in-memory model, concurrent writers, hostile input, and
// the secrecy of the token. It has no non-test code; see RELIABILITY.md at the module root for
// what is tested and how to run the long versions.
//
// Invariants every test here checks:
//   - A statement either succeeds (after bounded retries) or returns a clear, typed error; a
//     statement that returned an error may or may not have applied, and nothing else.
//   - After any sequence of faults the repository holds exactly what acknowledged statements wrote:
//     no duplicate object, no duplicate update comment, every closed issue's body is the fold of
//     its trusted log.
//   - Nothing an untrusted user writes changes any object.
//   - The token never appears in an error, a log line, a formatted Config or ghsql's output.
//
// Every test is hermetic (internal/localgh only, in-process or over loopback) and waits only on
// clock.Fake, except where a statement deadline must really pass (Hang).
package reliability
