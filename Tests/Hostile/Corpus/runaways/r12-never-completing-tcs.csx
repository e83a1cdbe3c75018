// Awaits a TaskCompletionSource nobody completes.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
await new TaskCompletionSource<int>().Task;
return Exit(200, "completed");
