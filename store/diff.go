package store

// diffPatch returns the smallest deep-merge patch that turns old into new: only the keys whose
// values changed, recursing into objects present on both sides. removed reports whether new lacks a
// key old has (at any depth), which a merge cannot express: such a change is written as a
// "replace" with the whole new state.
func diffPatch(old, new *value) (patch *value, removed bool) {
	patch = &value{obj: true, keys: []string{}}
	for i, k := range new.keys {
		nv := new.vals[i]
		ov := old.get(k)
		switch {
		case ov == nil:
			patch.set(k, nv.clone())
		case ov.obj && nv.obj:
			sub, rem := diffPatch(ov, nv)
			removed = removed || rem
			if len(sub.keys) > 0 {
				patch.set(k, sub)
			}
		case !valueEqual(ov, nv):
			patch.set(k, nv.clone())
		}
	}
	for _, k := range old.keys {
		if new.get(k) == nil {
			removed = true
		}
	}
	return patch, removed
}
