// Regex.CacheSize = 0: every regex in the process recompiles from then on.
// Must: refused: a process-wide setter is outside the allow list (and the control host's formatting is unchanged).
Regex.CacheSize = 0;
return Exit(200, "cache off");
