package query

import "strings"

// column is one of the two tables' columns.
type column uint8

const (
	colID column = iota + 1
	colData
	colIssue
	colVersion
	colPending
	colCreatedAt
	colUpdatedAt
	colSeq
	colKind
	colAuthor
	colTrusted
	colApplied
	colProcessed
	colCommentID
)

var columnNames = map[column]string{
	colID: "id", colData: "data", colIssue: "issue", colVersion: "version", colPending: "pending",
	colCreatedAt: "created_at", colUpdatedAt: "updated_at", colSeq: "seq", colKind: "kind",
	colAuthor: "author", colTrusted: "trusted", colApplied: "applied", colProcessed: "processed", colCommentID: "comment_id",
}

var columnTypes = map[column]string{
	colID: "TEXT", colData: "JSON", colIssue: "INTEGER", colVersion: "INTEGER", colPending: "INTEGER",
	colCreatedAt: "TIMESTAMP", colUpdatedAt: "TIMESTAMP", colSeq: "INTEGER", colKind: "TEXT",
	colAuthor: "TEXT", colTrusted: "BOOLEAN", colApplied: "BOOLEAN", colProcessed: "BOOLEAN", colCommentID: "INTEGER",
}

// tableColumns are each table's columns in SELECT * order (DESIGN.md §4).
var tableColumns = map[Table][]column{
	Objects: {colID, colData, colIssue, colVersion, colPending, colCreatedAt, colUpdatedAt},
	History: {colID, colSeq, colKind, colData, colAuthor, colTrusted, colApplied, colProcessed, colCreatedAt, colCommentID},
}

// lookupColumn finds a table's column by name (case-insensitively, as MySQL does).
func lookupColumn(t Table, name string) (column, bool) {
	for _, c := range tableColumns[t] {
		if strings.EqualFold(columnNames[c], name) {
			return c, true
		}
	}
	return 0, false
}

// columnValue reads a column of the record in env.
func columnValue(e *env, c column) value {
	r := e.rec
	if r == nil {
		return nullValue
	}
	switch c {
	case colID:
		v := stringValue(r.ID)
		v.ci = true
		return v
	case colData:
		if !e.hasDoc {
			return nullValue
		}
		return jsonValue(e.doc)
	case colIssue:
		return intValue(r.Issue)
	case colVersion:
		return intValue(r.Version)
	case colPending:
		return intValue(r.Pending)
	case colCreatedAt:
		return timeValue(r.CreatedAt)
	case colUpdatedAt:
		return timeValue(r.UpdatedAt)
	case colSeq:
		return intValue(r.Seq)
	case colKind:
		return stringValue(r.Kind)
	case colAuthor:
		return stringValue(r.Author)
	case colTrusted:
		return boolValue(r.Trusted)
	case colApplied:
		return boolValue(r.Applied)
	case colProcessed:
		return boolValue(r.Processed)
	case colCommentID:
		return intValue(r.CommentID)
	}
	return nullValue
}
