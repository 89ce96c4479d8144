// Package jinja renders Jinja2 templates byte for byte as Python's Jinja2
// 3.1 does in the environment Wazo provd uses for its vendor plugins: no
// autoescape, trim_blocks and lstrip_blocks off, keep_trailing_newline off
// (one final newline is dropped), the default Undefined, and Jinja2's
// default filters, tests and globals.
//
// # Engine
//
// This is a small engine of its own: a lexer and a parser that follow
// Jinja2's lexer.py and parser.py, the scoping analysis of Jinja2's
// compiler (idtracking.py: which frame owns a name, what a loop body or a
// macro sees), and a tree-walking evaluator with Python's semantics for
// values: ints of any size, floats printed as Python's repr, str % args,
// str.format, dicts in insertion order, None/True/False, Undefined.
//
// github.com/nikolalohinski/gonja/v2 (v2.9.1) was evaluated first, on the
// same differential corpus; 26 of 54 probe templates rendered differently
// from Python, and the causes sit inside its evaluator, out of reach of a
// custom environment:
//
//   - None prints as "" ("[{{ x }}]" gives "[]" instead of "[None]"), and
//     None inside lists prints as nothing ("['a', 1.0, , True]");
//   - "%" on a string panics (integer divide by zero) instead of formatting
//     ("%x" % 255); "-7 // 2" gives -3 and "-7 % 3" gives -1 (C semantics,
//     not Python's floor);
//   - tuples print as lists, "7.5 // 2" gives 3 instead of 3.0, adjacent
//     string literals are a syntax error, str.replace requires its count,
//     str.split() without a separator fails;
//   - Go maps have no order, so dict iteration is sorted, not insertion
//     order; an undefined "a.b" reports a Go error, not UndefinedError;
//   - there is no step, time or recursion bound: a recursive macro
//     overflows the stack and range(10**9) allocates the whole list.
//
// # Guarantees
//
// Templates reach nothing but their loader's files and the values passed
// in; attribute access reaches only the Python-like methods this package
// implements (dict.items/keys/values/get, str.format/zfill/split/...), and
// any other Python method is an error rather than a silent difference.
// Output, every value built, evaluation steps, nesting of macro calls and
// includes, and the context's cancellation bound every Render (Options).
// Errors name the template file and line.
//
// Known differences from Python, all outside what provd's templates use:
// printing a bound method omits the memory address Python prints; the
// filters filesizeformat, groupby, pprint, random, striptags, tojson,
// urlencode, urlize, wordwrap and xmlattr, the lipsum() global, the
// autoescape tag and mutating methods (list.append, dict.update) are
// errors; integers are limited to 65536 bits. Where Debian's Jinja2 3.1.2
// and later 3.1.x differ (the int filter on "inf" raises OverflowError in
// 3.1.2), this package follows 3.1.2, the version provd runs on Debian.
package jinja
