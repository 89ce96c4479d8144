package config

import "time"

// Limits that Asterisk itself has, reproduced.
const (
	// lineBufferSize is the fgets buffer of config_text_file_load: a line,
	// newline included, must fit in lineBufferSize-1 bytes.
	lineBufferSize = 8192
	// maxNestedComments is MAX_NESTED_COMMENTS. Asterisk loops forever on a
	// deeper ";--"; Load reports an error instead.
	maxNestedComments = 128
	// maxIncludeLevel is MAX_INCLUDE_LEVEL: the main file plus this many
	// levels of nested #include.
	maxIncludeLevel = 10
	// maxSectionName is the size of ast_category's name buffer minus its
	// terminator.
	maxSectionName = 79
	// maxPathLen is the size of config_text_file_load's path buffer minus
	// its terminator: longer paths are cut.
	maxPathLen = 255
	// maxWarnings bounds Config.Warnings.
	maxWarnings = 1000
	// execTimeout bounds an #exec command, which Asterisk would wait for
	// forever.
	execTimeout = 30 * time.Second
	// maxExecStderr bounds the log text (standard error and any output not
	// redirected to the included file) kept from an #exec command.
	maxExecStderr = 4 << 10
)

// limits bound one Load so that no input can exhaust memory or time. They
// are far above what real configurations need.
type limits struct {
	bytes       int64 // bytes read from files and #exec output
	lines       int   // lines read
	files       int   // files opened
	sections    int   // sections created
	vars        int   // variables created, inherited copies included
	work        int64 // steps of searching and copying
	globPattern int   // patterns produced by brace expansion of one glob
	globMatches int   // paths matched by one glob
}

// defaultLimits returns the limits Load uses.
func defaultLimits() limits {
	return limits{
		bytes:       64 << 20,
		lines:       4 << 20,
		files:       100000,
		sections:    1 << 20,
		vars:        2 << 20,
		work:        1 << 28,
		globPattern: 4096,
		globMatches: 100000,
	}
}
