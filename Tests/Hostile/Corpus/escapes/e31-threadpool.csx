// Queues a spinning work item to the thread pool the gateway serves with.
// Must: refused at compile time (400 naming the API or the rule).
System.Threading.ThreadPool.QueueUserWorkItem(_ => { while (true) { } });
return Exit(200, "queued");
