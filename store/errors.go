package store

import (
	"errors"

	"github.com/ghstore/ghstore/internal/transport"
)

// Sentinel errors; the errors the Store returns wrap them (errors.Is) with context.
var (
	ErrNotFound     = errors.New("ghstore: object not found")
	ErrDuplicateKey = errors.New("ghstore: duplicate key")
	ErrInvalidID    = errors.New("ghstore: invalid object id")
	ErrInvalidData  = errors.New("ghstore: invalid object data")
	ErrTooLarge     = errors.New("ghstore: object too large")
	// ErrCorrupt: an issue's body or log cannot be read as an object (edited by hand into
	// non-JSON, say). The error names the issue.
	ErrCorrupt = errors.New("ghstore: corrupt object")
)

// RateLimitError is GitHub's rate limit, with the time it resets.
type RateLimitError = transport.RateLimitError
