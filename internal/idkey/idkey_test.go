package idkey

import (
	"strings"
	"testing"
)

func TestOf(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		same bool
	}{
		{"Foo", "foo", true},
		{"FOO", "fOo", true},
		{"İ", "i", false},
		{"İ", "I", false},
		{"ı", "i", false},
		{"σ", "ς", true},
		{"σ", "Σ", true},
		{"ς", "Σ", true},
		{"s", "ſ", true},
		{"S", "ſ", true},
		{"K", "K", true}, // Kelvin sign
		{"k", "K", true},
		{"ß", "SS", false},
		{"ß", "ẞ", true},
		{"a-1", "A-1", true},
		{"a", "b", false},
	}
	for _, c := range cases {
		if got := Of(c.a) == Of(c.b); got != c.same {
			t.Errorf("Of(%q) == Of(%q) is %v, want %v (keys %q, %q)", c.a, c.b, got, c.same, Of(c.a), Of(c.b))
		}
		if eq := strings.EqualFold(c.a, c.b); eq != c.same {
			t.Errorf("strings.EqualFold(%q, %q) = %v, want %v: Of must agree with it", c.a, c.b, eq, c.same)
		}
	}
}

func FuzzOfAgreesWithEqualFold(f *testing.F) {
	f.Add("σ", "ς")
	f.Add("İ", "i")
	f.Add("K", "k")
	f.Fuzz(func(t *testing.T, a, b string) {
		if (Of(a) == Of(b)) != strings.EqualFold(a, b) {
			t.Fatalf("Of(%q)=%q, Of(%q)=%q, EqualFold=%v", a, Of(a), b, Of(b), strings.EqualFold(a, b))
		}
		if Of(Of(a)) != Of(a) {
			t.Fatalf("Of is not idempotent on %q", a)
		}
	})
}
