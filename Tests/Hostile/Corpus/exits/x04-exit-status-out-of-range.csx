// Exit(42): an HTTP status below 100.
// Must: accepted; the gateway answers an error of its own (500), not a malformed response, and lives.
return Exit(42, "odd");
