// Package idkey is the one key function of object ids (DESIGN.md §3c): two ids name one object
// exactly when their keys are equal, and every place that compares, indexes or deduplicates ids
// (store lookups, scans, duplicate checks, deletes, the mirror; query's IN lists; the driver's
// upserts) uses Of.
//
// The relation is Unicode simple case folding, the one strings.EqualFold uses (and so the one
// GitHub's labels, which name ids, follow in internal/localgh): σ, ς and Σ are one id, and so are
// k, K and the Kelvin sign K, and s, S and ſ; İ (dotted capital I) and i are two, and ß is not SS
// (that would take full case folding). Of maps each rune to the smallest rune of its folding orbit,
// so Of(a) == Of(b) exactly when strings.EqualFold(a, b). A key is for comparing, never for
// showing: an ASCII id's key is its upper case.
package idkey

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Of returns the key of id.
func Of(id string) string {
	if isUpperASCII(id) {
		return id
	}
	var b strings.Builder
	b.Grow(len(id))
	for _, r := range id {
		b.WriteRune(smallestFold(r))
	}
	return b.String()
}

// Equal reports whether a and b name one object.
func Equal(a, b string) bool { return strings.EqualFold(a, b) }

// isUpperASCII: id is ASCII without a lower-case letter, so it is its own key (an ASCII letter's
// smallest fold is its capital).
func isUpperASCII(id string) bool {
	for i := 0; i < len(id); i++ {
		if c := id[i]; c >= utf8.RuneSelf || ('a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// smallestFold is the smallest rune of r's simple case folding orbit.
func smallestFold(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}
