package main

import (
	"flag"

	"github.com/ghstore/ghstore/internal/localgh"
)

// realismFlags adds serve's flags for the real GitHub's lags and limits (localgh.Realism) to fs
// and returns what they ask for once fs is parsed: -realism turns on the realistic set
// (localgh.RealisticGitHub), and each single flag given sets its own behaviour, on top of
// -realism or alone. With none of them the server is as consistent and patient as before.
func realismFlags(fs *flag.FlagSet) func() localgh.Realism {
	set := localgh.RealisticGitHub()
	on := fs.Bool("realism", false, "behave like the real GitHub: replication lag, per-token ETags, a burst detector, "+
		"100 requests in flight, secondary limits without Retry-After, over-long body PATCHes dropped (see the flags below)")
	lag := fs.Duration("lag", set.Lag, "replication `lag`: a new issue 404s and is missing from listings, a label change is missing from listings, for this long")
	perToken := fs.Bool("per-token-etags", set.PerTokenETags, "an ETag validates only for the token it was given to")
	interval := fs.Duration("write-interval", set.WriteInterval, "burst detector: a user's writes closer than this `interval` (after -write-burst) get the secondary limit")
	burst := fs.Int("write-burst", set.WriteBurst, "the `number` of writes the burst detector lets go back to back")
	concurrent := fs.Int("max-concurrent", set.MaxConcurrent, "a user's requests in flight beyond this `number` get the secondary limit")
	retryAfter := fs.Int("retry-after", set.SecondaryRetryAfter, "`seconds` of Retry-After on those secondary limits (0: none, as GitHub sometimes does)")
	silent := fs.Int("silent-body-bytes", set.SilentBodyBytes, "an issue body PATCH longer than this many `bytes` answers 200 and keeps the old body")
	return func() localgh.Realism {
		var r localgh.Realism
		if *on {
			r = set
		}
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "lag":
				r.Lag = *lag
			case "per-token-etags":
				r.PerTokenETags = *perToken
			case "write-interval":
				r.WriteInterval = *interval
			case "write-burst":
				r.WriteBurst = *burst
			case "max-concurrent":
				r.MaxConcurrent = *concurrent
			case "retry-after":
				r.SecondaryRetryAfter = *retryAfter
			case "silent-body-bytes":
				r.SilentBodyBytes = *silent
			}
		})
		return r
	}
}
