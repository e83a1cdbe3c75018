// Awaits a TaskCompletionSource nobody completes.
// Must: refused (TaskCompletionSource is outside the allow list), or, if accepted, the request answers
// 500 with X-Error-Code 50000002 (budget) within the client's timeout.
await new TaskCompletionSource<int>().Task;
return Exit(200, "completed");
