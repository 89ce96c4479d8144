package pkgsdb

import (
	"strings"
	"testing"
)

// withRecipe returns a database with one package p using recipe r whose
// steps are given, and two files.
func withRecipe(steps string, args string) string {
	return okFile + "[file_g]\nurl: http://h/g.tar\nsize: 1\nsha1sum: ab\n" +
		"[pkg_p]\ndescription: d\nversion: 1\nfiles: f g\ninstall: r " + args + "\n[install_r]\n" + steps
}

func TestRecipeOrderAndLeaves(t *testing.T) {
	db := mustParse(t, withRecipe("b-c: untar $FILE2\na-b: null\nb-d: include *.bin\nc-e: cp x/ out/\na-z: unsign f.bin f.tgz\n", ""))
	got := stepStrings(db.Packages["p"].Steps())
	want := "a-b: null | a-z: unsign f.bin f.tgz | b-c: untar g.tar | b-d: include *.bin | c-e: cp x/ out/"
	if got != want {
		t.Errorf("order:\n got %s\nwant %s", got, want)
	}
	var leaves []string
	for _, st := range db.Packages["p"].Steps() {
		if st.Leaf {
			leaves = append(leaves, st.Dst)
		}
	}
	if strings.Join(leaves, ",") != "z,d,e" {
		t.Errorf("leaves = %v", leaves)
	}
}

func TestRecipeErrors(t *testing.T) {
	tests := []struct {
		name, steps, args, want string
	}{
		{"key without dash", "ab: null\n", "", "db:15: [install_r] ab: a step is written SRC-DST"},
		{"key with two dashes", "a-b-c: null\n", "", "db:15: [install_r] a-b-c"},
		{"odd node name", "a-b.c: null\n", "", "db:15: [install_r] a-b.c"},
		{"writes a", "a-a: null\n", "", "db:15: [install_r] a-a: node \"a\" holds the package's files"},
		{"two writers", "a-b: null\nc-b: null\n", "", "db:16: [install_r] c-b: node \"b\" is already written by step a-b (db:15)"},
		{"unknown source", "a-b: null\nc-d: null\n", "", "db:16: [install_r] c-d: node \"c\" is never written"},
		{"a unused", "b-c: null\nc-b: null\n", "", "db:14: [install_r]: no step reads node \"a\""},
		{"cycle", "a-b: null\nc-d: null\nd-c: null\n", "", "db:16: [install_r]: the steps through node"},
		{"no command", "a-b:\n", "", "db:15: [install_r] a-b: no command"},
		{"unknown command", "a-b: rm -rf /\n", "", "db:15: [install_r] a-b: unknown command \"rm\""},
		{"untar arity", "a-b: untar x y\n", "", "untar takes 1 argument (a glob), got 2"},
		{"unsign arity", "a-b: unsign x\n", "", "unsign takes 2 arguments (SIGNED OUT), got 1"},
		{"cp arity", "a-b: cp x\n", "", "cp takes at least 2 arguments"},
		{"include arity", "a-b: include\n", "", "include takes at least 1 pattern"},
		{"null arity", "a-b: null x\n", "", "null takes no argument"},
		{"absolute glob", "a-b: unzip /etc/*.zip\n", "", "unzip: \"/etc/*.zip\" is an absolute path"},
		{"parent glob", "a-b: cp ../*.rom x/\n", "", "cp: \"../*.rom\" refers to a parent directory"},
		{"parent inside glob", "a-b: untar x/../../y\n", "", "untar: \"x/../../y\" refers to a parent directory"},
		{"dot glob", "a-b: cp ./ x/\n", "", "cp: \"./\" names the directory itself"},
		{"absolute cp destination", "a-b: cp * /etc/\n", "", "cp: destination: \"/etc/\" is an absolute path"},
		{"parent cp destination", "a-b: cp * ../x/\n", "", "cp: destination: \"../x/\" refers to a parent"},
		{"parent through a variable", "a-b: cp * $ARG1/\n", "..", "cp: destination: \"../\" refers to a parent"},
		{"parent unsign output", "a-b: unsign $FILE1 ../f.tgz\n", "", "unsign: destination: \"../f.tgz\""},
		{"undefined variable", "a-b: cp * $ARG1/\n", "", "undefined variable $ARG1 (defined: $FILE1, $FILE2)"},
		{"lone dollar", "a-b: cp $ x/\n", "", "a \"$\" must be followed by a variable name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("db", []byte(withRecipe(tt.steps, tt.args)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant ...%s...", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "db:") {
				t.Errorf("error does not name the file and line: %v", err)
			}
		})
	}
}

func TestEmptyRecipe(t *testing.T) {
	db := mustParse(t, withRecipe("", ""))
	if len(db.Packages["p"].Steps()) != 0 {
		t.Errorf("steps = %v", db.Packages["p"].Steps())
	}
}
