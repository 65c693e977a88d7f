package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"

	"github.com/ghstore/ghstore/internal/clock"
)

// storeImpl holds one Store's settings and what it learns (the token's login). Without
// Options.Mirror it holds no cache of objects: every read asks GitHub (cheaply, through the
// transport's ETag cache); with it, reads answer from the mirror (mirror.go) after refreshing it.
type storeImpl struct {
	owner, repo string
	gh          githubAPI // every request (source.go)
	async       bool
	clock       Clock
	concurrency int
	trust       *trust
	mirror      *mirror // nil unless Options.Mirror
	stamps      *stamps // envelope timestamps, unique per Store
	jitter      func() float64
	recent      *recentWrites // what this Store wrote within Options.ReadLag (lag.go)
	scrub       func(string) string
	lastScan    atomic.Pointer[ScanFigures] // the last complete scan's figures (list.go)
}

func newImpl(opts Options) (*storeImpl, error) {
	if opts.HTTPClient == nil {
		return nil, errors.New("ghstore: store.Options has no HTTPClient")
	}
	if strings.TrimSpace(opts.Owner) == "" || strings.TrimSpace(opts.Repo) == "" ||
		strings.Contains(opts.Owner, "/") || strings.Contains(opts.Repo, "/") {
		return nil, fmt.Errorf("ghstore: bad repository %q/%q: want an owner and a name", opts.Owner, opts.Repo)
	}
	gh, err := newGoGitHub(opts.HTTPClient, opts.BaseURL, opts.Owner, opts.Repo)
	if err != nil {
		return nil, err
	}
	if opts.Concurrency < 0 {
		return nil, fmt.Errorf("ghstore: Concurrency %d is negative", opts.Concurrency)
	}
	s := &storeImpl{
		owner:       opts.Owner,
		gh:          gh,
		repo:        opts.Repo,
		async:       opts.Async,
		clock:       opts.Clock,
		concurrency: opts.Concurrency,
		trust:       newTrust(opts.Trusted, opts.Login),
		jitter:      opts.Jitter,
		scrub:       opts.Scrub,
	}
	if s.jitter == nil {
		s.jitter = rand.Float64
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	s.stamps = &stamps{clock: s.clock}
	if opts.ReadLag < 0 {
		return nil, fmt.Errorf("ghstore: ReadLag %v is negative", opts.ReadLag)
	}
	s.recent = newRecentWrites(opts.ReadLag, s.clock.Now)
	if s.concurrency == 0 {
		s.concurrency = DefaultConcurrency
	}
	if opts.Mirror {
		s.mirror = newMirror(s)
		s.mirror.dir = opts.MirrorDir
	} else if opts.MirrorDir != "" {
		return nil, errors.New("ghstore: Options.MirrorDir needs Options.Mirror")
	}
	return s, nil
}
