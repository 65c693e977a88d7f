package main

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/peterh/liner"
	"golang.org/x/term"
)

// linerReader is the prompt on a terminal: line editing, Ctrl-C dropping the line being typed,
// Ctrl-D ending the session, and a history kept in a file across sessions.
type linerReader struct {
	l       *liner.State
	history string // the history file; "" keeps none
	fd      int    // the terminal liner reads (stdin), or -1
}

// newLinerReader opens the prompt on the process's terminal, reading the history file if any.
func newLinerReader(historyPath string) lineReader {
	l := liner.NewLiner()
	l.SetCtrlCAborts(true)
	l.SetMultiLineMode(true)
	r := &linerReader{l: l, history: historyPath, fd: -1}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		r.fd = int(os.Stdin.Fd())
	}
	if historyPath != "" {
		if f, err := os.Open(historyPath); err == nil {
			_, _ = l.ReadHistory(f)
			f.Close()
		}
	}
	return r
}

func (r *linerReader) ReadLine(p string) (string, error) {
	line, err := r.l.Prompt(p)
	if errors.Is(err, liner.ErrPromptAborted) {
		return "", errAborted
	}
	return line, err
}

func (r *linerReader) Remember(entry string) { r.l.AppendHistory(entry) }

// Close writes the history file (only the owner may read it: statements can hold data) and
// gives the terminal back.
func (r *linerReader) Close() error {
	var err error
	if r.history != "" {
		if err = os.MkdirAll(filepath.Dir(r.history), 0o700); err == nil {
			var f *os.File
			if f, err = os.OpenFile(r.history, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err == nil {
				_, err = r.l.WriteHistory(f)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
		}
	}
	return errors.Join(err, r.l.Close())
}

// historyPath is where the prompt keeps its history: -history, else ~/.ghsql_history, else
// (no home) .ghsql_history in the embedded backend's directory, else none.
func historyPath(flagValue string, getenv func(string) string, localDir string) string {
	if flagValue != "" {
		return flagValue
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".ghsql_history")
	}
	if localDir != "" {
		return filepath.Join(localDir, ".ghsql_history")
	}
	return ""
}
