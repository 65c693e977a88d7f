package driver

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"
)

// checkArg turns an argument into one of the values query.Arg takes: nil, int64, float64, bool,
// string, []byte, json.RawMessage or time.Time. A driver.Valuer (sql.NullString and friends)
// gives its Value, which is then checked.
//
// Integers of every size (and unsigned ones up to MaxInt64), float32, pointers to any of these
// (nil is NULL) and named types over them (type Score int) are accepted, as database/sql's
// default converter accepts them. Everything else (maps, structs, slices other than bytes) is
// refused with an error naming the Go type: the driver does not guess a JSON encoding; pass
// json.RawMessage from json.Marshal.
//
// Byte slices are copied: a transaction binds its writes at Exec time and applies them at
// Commit, and the caller may reuse its buffer in between.
func checkArg(v any) (any, error) {
	switch x := v.(type) {
	case nil, int64, float64, bool, string, time.Time:
		return v, nil
	case json.RawMessage:
		if x == nil {
			return nil, nil
		}
		return json.RawMessage(bytes.Clone(x)), nil
	case []byte:
		if x == nil {
			return nil, nil
		}
		return bytes.Clone(x), nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case float32:
		return float64(x), nil
	}
	rv := reflect.ValueOf(v)
	if valuer, ok := v.(driver.Valuer); ok {
		// database/sql leaves Valuers (sql.NullString, custom types) to the checker when the
		// driver has one. A nil pointer is NULL, as database/sql's own converter has it.
		if rv.Kind() == reflect.Pointer && rv.IsNil() {
			return nil, nil
		}
		dv, err := valuer.Value()
		if err != nil {
			return nil, fmt.Errorf("%T.Value: %w", v, err)
		}
		if _, again := dv.(driver.Valuer); again {
			return nil, fmt.Errorf("%w: %T.Value returned another Valuer, %T", ErrArgType, v, dv)
		}
		return checkArg(dv)
	}
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		return checkArg(rv.Elem().Interface())
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return nil, fmt.Errorf("%w: %T value %d is larger than the largest int64", ErrArgType, v, u)
		}
		return int64(u), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			if rv.IsNil() {
				return nil, nil
			}
			return bytes.Clone(rv.Bytes()), nil
		}
	}
	return nil, fmt.Errorf("%w %T: pass nil, a number, bool, string, []byte, json.RawMessage or time.Time (json.Marshal a value into a json.RawMessage)", ErrArgType, v)
}

// driverValue turns a result value of query into a driver.Value.
func driverValue(v any) (driver.Value, error) {
	switch x := v.(type) {
	case nil, int64, float64, bool, string, []byte, time.Time:
		return v, nil
	case json.RawMessage:
		return []byte(x), nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case float32:
		return float64(x), nil
	}
	return nil, fmt.Errorf("ghstore: internal error: query produced a %T", v)
}
