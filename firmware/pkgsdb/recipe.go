package pkgsdb

import (
	"fmt"
	"path"
	"strings"
	"unicode"
)

// SourceNode is the node that holds a package's downloaded files. It is
// never a step's destination.
const SourceNode = "a"

// Recipe is an [install_ID] section: steps forming a tree rooted at the
// source node "a". Each step reads the directory of node SRC and writes
// the directory of node DST; the directories of the leaves (nodes no step
// reads) are merged into the plugin's var/tftpboot.
type Recipe struct {
	ID    string
	Pos   Pos
	Steps []RawStep // in file order
}

// RawStep is one key of a recipe, before variable expansion.
type RawStep struct {
	Src, Dst string
	Value    string // the command, with $FILEn/$ARGn unexpanded
	Pos      Pos
}

// Step is one step of a package's recipe, ready to run.
type Step struct {
	Src, Dst string
	Command  Command
	// Leaf is true when no step reads Dst: its output goes to the result.
	Leaf bool
	Pos  Pos
}

func (s Step) String() string { return fmt.Sprintf("%s-%s: %s", s.Src, s.Dst, s.Command) }

// Command names.
const (
	CmdUnzip   = "unzip"   // unzip GLOB: extract zip archives, keeping paths
	CmdUntar   = "untar"   // untar GLOB: extract tar, tar.gz, tar.bz2 (and tar.xz), keeping paths
	CmdUnrar   = "unrar"   // unrar GLOB: extract rar archives, flattened
	Cmd7z      = "7z"      // 7z GLOB: extract 7z archives, flattened
	CmdUnsign  = "unsign"  // unsign SIGNED OUT: strip a Cisco signature header
	CmdCp      = "cp"      // cp SRC... DST: copy; DST ending in "/" is a directory
	CmdInclude = "include" // include PAT...: copy the matching tree entries
	CmdExclude = "exclude" // exclude PAT...: copy all but the matching tree entries
	CmdNull    = "null"    // null: produce nothing
)

// Command is one step's command with its arguments.
type Command struct {
	Name string
	Args []string
}

func (c Command) String() string { return strings.TrimSpace(c.Name + " " + strings.Join(c.Args, " ")) }

func buildRecipe(id string, s *Section, opts []*Option) (*Recipe, error) {
	r := &Recipe{ID: id, Pos: s.Pos}
	dsts := make(map[string]*RawStep)
	for _, o := range opts {
		parts := strings.Split(o.Name, "-")
		if len(parts) != 2 || !isNodeID(parts[0]) || !isNodeID(parts[1]) {
			return nil, o.Pos.errorf("[%s] %s: a step is written SRC-DST, two node names of letters, digits and _", s.Name, o.Name)
		}
		st := RawStep{Src: parts[0], Dst: parts[1], Value: o.Value, Pos: o.Pos}
		if st.Dst == SourceNode {
			return nil, o.Pos.errorf("[%s] %s: node %q holds the package's files and cannot be a destination", s.Name, o.Name, SourceNode)
		}
		if prev := dsts[st.Dst]; prev != nil {
			return nil, o.Pos.errorf("[%s] %s: node %q is already written by step %s-%s (%s)", s.Name, o.Name, st.Dst, prev.Src, prev.Dst, prev.Pos)
		}
		if len(fields(o.Value)) == 0 {
			return nil, o.Pos.errorf("[%s] %s: no command", s.Name, o.Name)
		}
		r.Steps = append(r.Steps, st)
		dsts[st.Dst] = &r.Steps[len(r.Steps)-1]
	}
	if len(r.Steps) == 0 {
		return r, nil
	}
	used := false
	for _, st := range r.Steps {
		if st.Src == SourceNode {
			used = true
		} else if dsts[st.Src] == nil {
			return nil, st.Pos.errorf("[%s] %s-%s: node %q is never written (no step ends in it)", s.Name, st.Src, st.Dst, st.Src)
		}
	}
	if !used {
		return nil, s.Pos.errorf("[%s]: no step reads node %q, the package's files", s.Name, SourceNode)
	}
	// Each node has one writer, so following writers from any node either
	// reaches "a" or loops.
	for _, st := range r.Steps {
		seen := map[string]bool{st.Dst: true}
		for n := st.Src; n != SourceNode; n = dsts[n].Src {
			if seen[n] {
				return nil, st.Pos.errorf("[%s]: the steps through node %q form a cycle", s.Name, n)
			}
			seen[n] = true
		}
	}
	return r, nil
}

// isNodeID is Python's \w+.
func isNodeID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isWord(r) {
			return false
		}
	}
	return true
}

// isWord is Python's \w for str patterns: letters, numbers and "_".
func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) }

// fields splits on white space as Python's str.split() does.
func fields(s string) []string { return strings.FieldsFunc(s, isPySpace) }

// instantiate expands the variables of every step and checks the
// commands; the steps come back in the order xivo-fetchfw runs them
// (breadth first from "a", children in file order).
func (r *Recipe) instantiate(vars map[string]string) ([]Step, error) {
	children := make(map[string][]int)
	for i, st := range r.Steps {
		children[st.Src] = append(children[st.Src], i)
	}
	var out []Step
	queue := []string{SourceNode}
	for len(queue) > 0 {
		node := queue[0]
		queue = queue[1:]
		for _, i := range children[node] {
			raw := r.Steps[i]
			cmd, err := parseCommand(raw.Value, vars)
			if err != nil {
				return nil, raw.Pos.errorf("[install_%s] %s-%s: %v", r.ID, raw.Src, raw.Dst, err)
			}
			out = append(out, Step{Src: raw.Src, Dst: raw.Dst, Command: cmd, Leaf: len(children[raw.Dst]) == 0, Pos: raw.Pos})
			queue = append(queue, raw.Dst)
		}
	}
	return out, nil
}

// parseCommand splits a step's value on white space, expands each word
// and checks the command's arguments.
func parseCommand(value string, vars map[string]string) (Command, error) {
	words := fields(value)
	if len(words) == 0 {
		return Command{}, fmt.Errorf("no command")
	}
	for i, w := range words {
		x, err := Expand(w, vars)
		if err != nil {
			return Command{}, err
		}
		words[i] = x
	}
	c := Command{Name: words[0], Args: words[1:]}
	return c, c.check()
}

// check enforces each command's arity and path rules: globs and paths are
// relative and never climb out with "..".
func (c Command) check() error {
	n := len(c.Args)
	arity := func(ok bool, want string) error {
		if !ok {
			return fmt.Errorf("%s takes %s, got %d", c.Name, want, n)
		}
		return nil
	}
	var globs []string
	var dst string
	switch c.Name {
	case CmdUnzip, CmdUntar, CmdUnrar, Cmd7z:
		if err := arity(n == 1, "1 argument (a glob)"); err != nil {
			return err
		}
		globs = c.Args
	case CmdUnsign:
		if err := arity(n == 2, "2 arguments (SIGNED OUT)"); err != nil {
			return err
		}
		globs, dst = c.Args[:1], c.Args[1]
	case CmdCp:
		if err := arity(n >= 2, "at least 2 arguments (SRC... DST)"); err != nil {
			return err
		}
		globs, dst = c.Args[:n-1], c.Args[n-1]
	case CmdInclude, CmdExclude:
		if err := arity(n >= 1, "at least 1 pattern"); err != nil {
			return err
		}
		for _, p := range c.Args {
			if strings.ContainsRune(p, 0) {
				return fmt.Errorf("%s: pattern %q contains a NUL byte", c.Name, p)
			}
		}
	case CmdNull:
		if err := arity(n == 0, "no argument"); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown command %q (want unzip, untar, unrar, 7z, unsign, cp, include, exclude or null)", c.Name)
	}
	for _, g := range globs {
		if err := CheckRelative(g); err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		if path.Clean(g) == "." {
			return fmt.Errorf("%s: %q names the directory itself, not files in it", c.Name, g)
		}
	}
	if dst != "" {
		if err := CheckRelative(dst); err != nil {
			return fmt.Errorf("%s: destination: %w", c.Name, err)
		}
	}
	return nil
}

// CheckRelative refuses a path or glob that is empty, absolute, contains a
// NUL byte or has a ".." element: recipes stay inside their directories.
func CheckRelative(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("empty path")
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q is an absolute path", p)
	case strings.ContainsRune(p, 0):
		return fmt.Errorf("%q contains a NUL byte", p)
	}
	for _, e := range strings.Split(p, "/") {
		if e == ".." {
			return fmt.Errorf("%q refers to a parent directory (..)", p)
		}
	}
	return nil
}
