// await Task.Delay(-1): waits for ever without using a thread.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
await Task.Delay(-1);
return Exit(200, "woke");
