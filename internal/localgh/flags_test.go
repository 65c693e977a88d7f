package localgh

import "flag"

// longFlag runs the long versions of the durability and memory tests: every byte of an
// append instead of a sample, and more requests.
var longFlag = flag.Bool("long", false, "run the long versions: a crash at every byte of an append, more requests")
