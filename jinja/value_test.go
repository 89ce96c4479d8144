package jinja

import (
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

func TestDecodeJSON(t *testing.T) {
	v, err := DecodeJSON([]byte(`{"z": 1, "a": [1.0, 2, 1e400, 12345678901234567890, null, true, "s"], "m": {"10": 1, "2": 2}, "z": 3}`))
	if err != nil {
		t.Fatal(err)
	}
	d := v.(*Dict)
	if got := toStr(d); got != `{'z': 3, 'a': [1.0, 2, inf, 12345678901234567890, None, True, 's'], 'm': {'10': 1, '2': 2}}` {
		t.Errorf("decoded %s", got)
	}
	a, _ := d.Get("a")
	if _, ok := a.([]any)[3].(*big.Int); !ok {
		t.Errorf("big integer decoded as %T", a.([]any)[3])
	}
	for _, bad := range []string{`{"a":`, `[1] [2]`, `{"a" 1}`, strings.Repeat("[", 2000) + strings.Repeat("]", 2000)} {
		if _, err := DecodeJSON([]byte(bad)); err == nil {
			t.Errorf("DecodeJSON(%.20q) succeeded", bad)
		}
	}
	if _, err := json.Marshal(d); err == nil {
		t.Error("MarshalJSON encoded inf")
	}
	d.Set("a", []any{1.0, 2, "s"})
	if err := d.SetKey(5, nil); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(d)
	if err != nil || string(out) != `{"z":3,"a":[1.0,2,"s"],"m":{"10":1,"2":2},"5":null}` {
		// json.Marshal compacts the output of MarshalJSON
		t.Errorf("MarshalJSON = %s, %v", out, err)
	}
}

func TestDictAPI(t *testing.T) {
	d := NewDict()
	d.Set("b", 1)
	d.Set("a", map[string]any{"y": uint8(2), "x": []string{"s"}})
	d.Set("b", 3)
	if err := d.SetKey(10, "ten"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetKey(1.0, "one"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetKey([]int{1}, "bad"); err == nil {
		t.Error("SetKey accepted a list key")
	}
	if got := toStr(d); got != `{'b': 3, 'a': {'x': ['s'], 'y': 2}, 10: 'ten', 1.0: 'one'}` {
		t.Errorf("dict = %s", got)
	}
	d.Delete("a")
	if v, ok := d.Get("b"); !ok || v != int64(3) || d.Len() != 3 {
		t.Errorf("after delete: %s", toStr(d))
	}
	n := 0
	d.Range(func(k, v any) bool { n++; return false })
	if n != 1 {
		t.Errorf("Range did not stop")
	}
}

// TestContextValues checks the Go types a context accepts.
func TestContextValues(t *testing.T) {
	env := New(MapLoader(nil), Options{})
	tpl, err := env.FromString("{{ i }} {{ u }} {{ f }} {{ l }} {{ m }} {{ n }} {{ b }}", "v.tpl")
	if err != nil {
		t.Fatal(err)
	}
	out, err := tpl.Render(context.Background(), map[string]any{
		"i": 7, "u": uint64(1 << 63), "f": float32(0.5), "l": []any{1, "a", nil}, "m": map[string]string{"k": "v"},
		"n": json.Number("1.50"), "b": new(big.Int).Lsh(big.NewInt(1), 70),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "7 9223372036854775808 0.5 [1, 'a', None] {'k': 'v'} 1.5 1180591620717411303424"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
	if _, err := tpl.Render(context.Background(), map[string]any{"i": struct{}{}}); err == nil || !strings.Contains(err.Error(), "unsupported Go value: type struct {}") {
		t.Errorf("struct value: err = %v", err)
	}
	cyc := []any{nil}
	cyc[0] = cyc
	if _, err := tpl.Render(context.Background(), map[string]any{"i": cyc}); err == nil {
		t.Error("a cyclic value rendered")
	}
}
