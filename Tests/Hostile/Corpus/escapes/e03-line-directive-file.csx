// A #line directive that renames the file and line: diagnostics and stack traces would lie about the script.
// Must: refused: user #line directives are not allowed.
#line 5000 "/etc/passwd"
return Exit(200, "lines moved");
