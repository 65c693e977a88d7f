package localgh

import "strconv"

// parseNumber reads a number in a URL path (an issue number, a comment or reaction id) as
// GitHub's routes do: decimal digits only, so "+1", "-1", " 1" and "0x1" name nothing.
func parseNumber(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
