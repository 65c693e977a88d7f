package reliability

import "flag"

// Flags of the long-running tests (go test ./reliability -run TestRandomLongRun -seed 42 -long).
var (
	seedFlag  = flag.Uint64("seed", 0, "run the randomised long run with this seed only (0: the fixed CI seeds)")
	stepsFlag = flag.Int("steps", 0, "statements per seed in the randomised long run (0: 2000, or 300 with -short, 10000 with -long)")
	longFlag  = flag.Bool("long", false, "run the long versions: more seeds and statements, more concurrent statements")
)

// ciSeeds are the seeds the long run uses in CI; -long adds more.
var ciSeeds = []uint64{1, 2, 3}

// longSeeds are added with -long.
var longSeeds = []uint64{4, 5, 6, 7, 8, 9, 10, 11, 12, 13}
