two trailing newlines: only one is dropped

