package docs

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// citation matches a reference to a section of a page of docs/.
var citation = regexp.MustCompile(`docs/([a-z]+)\.md#([\w-]+)`)

// inPage matches a Markdown link to a section of the same page.
var inPage = regexp.MustCompile(`\]\(#([\w-]+)\)`)

// outside are references to documents beside the repository, which a
// reader of the repository cannot follow.
var outside = []string{"SPEC §", "VENDORS.md", "PROVD.md §"}

// TestCitationsResolve walks the repository's Go, Markdown and TSV files
// and checks that every docs/<page>.md#<section> names a heading of that
// page, that the pages' own #links do, and that nothing cites the
// reference documents beside the repository.
func TestCitationsResolve(t *testing.T) {
	sections := map[string]map[string]bool{}
	for _, page := range []string{"asterisk", "vendors"} {
		sections[page] = headings(t, page+".md")
	}
	root := ".."
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if name == ".git" || name == "fuzz" || name == "node_modules" || (strings.HasPrefix(name, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(name); ext != ".go" && ext != ".md" && ext != ".tsv" {
			return nil
		}
		if name == "links_test.go" && filepath.Base(filepath.Dir(path)) == "docs" {
			return nil // this file names the patterns it looks for
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range citation.FindAllStringSubmatch(line, -1) {
				found++
				page, section := m[1], m[2]
				if sections[page] == nil {
					t.Errorf("%s:%d: %s: there is no docs/%s.md", rel, i+1, m[0], page)
				} else if !sections[page][section] {
					t.Errorf("%s:%d: %s: docs/%s.md has no section %q", rel, i+1, m[0], page, section)
				}
			}
			if page, ok := strings.CutPrefix(rel, "docs"+string(filepath.Separator)); ok && sections[strings.TrimSuffix(page, ".md")] != nil {
				for _, m := range inPage.FindAllStringSubmatch(line, -1) {
					if !sections[strings.TrimSuffix(page, ".md")][m[1]] {
						t.Errorf("%s:%d: link #%s: no such section", rel, i+1, m[1])
					}
				}
			}
			for _, o := range outside {
				if strings.Contains(line, o) {
					t.Errorf("%s:%d: cites %q, a document outside the repository: cite docs/<page>.md#<section> or state the fact", rel, i+1, o)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 100 {
		t.Errorf("only %d citations of docs/ found: is the walk reading the repository?", found)
	}
}

// headings returns the anchors GitHub gives the headings of a Markdown
// page: lower case, punctuation other than '-' and '_' removed, spaces
// made '-'.
func headings(t *testing.T, page string) map[string]bool {
	t.Helper()
	f, err := os.Open(page)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	fence := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			fence = !fence
		}
		if fence || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		out[anchor(title)] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func anchor(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestAnchor(t *testing.T) {
	for title, want := range map[string]string{
		"phoneprov.conf":                     "phoneprovconf",
		"PP_EACH_USER and PP_EACH_EXTENSION": "pp_each_user-and-pp_each_extension",
		"Time-zone variables":                "time-zone-variables",
		"Asterisk's behaviour":               "asterisks-behaviour",
	} {
		if got := anchor(title); got != want {
			t.Errorf("anchor(%q) = %q, want %q", title, got, want)
		}
	}
}
