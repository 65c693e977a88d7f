package store

// deepMerge applies patch to base as gh-store does: where both sides hold an object, the objects
// merge key by key (recursively); any other value of patch (array, string, number, boolean, null)
// replaces base's. Keys already in base keep their place; new keys are appended in patch's order.
// base and patch are not modified.
func deepMerge(base, patch *value) *value {
	if !base.obj || !patch.obj {
		return patch.clone()
	}
	out := base.clone()
	for i, k := range patch.keys {
		pv := patch.vals[i]
		if cur := out.get(k); cur != nil && cur.obj && pv.obj {
			out.set(k, deepMerge(cur, pv))
			continue
		}
		out.set(k, pv.clone())
	}
	return out
}
