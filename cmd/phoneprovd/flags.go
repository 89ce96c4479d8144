package main

import "flag"

// parseFlags parses args with fs, accepting flags after the positional
// arguments too ("render URI -server ADDR"), and returns the positional
// arguments. A "--" ends the flags. Errors are reported by fs, which also
// prints its usage.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
