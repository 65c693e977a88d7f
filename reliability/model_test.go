package reliability

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// model is what the repository must hold: object id (lower-cased) → data, as the test's own Go
// values. It is the long run's and the concurrency test's oracle of what acknowledged statements
// wrote.
type model struct {
	objects map[string]map[string]any
}

func newModel() *model { return &model{objects: map[string]map[string]any{}} }

// get returns id's data as JSON ("" when absent).
func (m *model) get(id string) string {
	d, ok := m.objects[strings.ToLower(id)]
	if !ok {
		return ""
	}
	return mustJSON(d)
}

// set records id's data from JSON text ("" = absent).
func (m *model) set(id, data string) {
	key := strings.ToLower(id)
	if data == "" {
		delete(m.objects, key)
		return
	}
	v, err := decodeJSON([]byte(data))
	obj, ok := v.(map[string]any)
	if err != nil || !ok {
		panic(fmt.Sprintf("model: %q is not a JSON object", data))
	}
	m.objects[key] = normalise(obj).(map[string]any)
}

// keys lists the live ids, sorted.
func (m *model) keys() []string { return slices.Sorted(maps.Keys(m.objects)) }

// normalise turns json.Number into float64-free canonical values (int64 where integral) so that
// values decoded from the repository and values the test computes compare equal.
func normalise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalise(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalise(e)
		}
		return out
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case int:
		return int64(x)
	}
	return v
}

// clone deep-copies an object.
func clone(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	v, _ := decodeJSON(b)
	return normalise(v).(map[string]any)
}
