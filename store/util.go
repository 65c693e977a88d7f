package store

import (
	"sort"
	"time"
)

func sortByNumber(issues []*ghIssue) {
	sort.SliceStable(issues, func(i, j int) bool { return issues[i].number < issues[j].number })
}

func timeZero() time.Time { return time.Time{} }
