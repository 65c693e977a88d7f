package store

import (
	"sort"
	"time"

	"github.com/google/go-github/v66/github"
)

func sortByNumber(issues []*github.Issue) {
	sort.SliceStable(issues, func(i, j int) bool { return issues[i].GetNumber() < issues[j].GetNumber() })
}

func timeZero() time.Time { return time.Time{} }
