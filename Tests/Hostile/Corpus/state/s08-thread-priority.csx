// Raises the priority of the thread it runs on (a pool thread serving everyone).
// Must: refused: a process-wide setter is outside the allow list (and the control host's formatting is unchanged).
System.Threading.Thread.CurrentThread.Priority = System.Threading.ThreadPriority.Highest;
return Exit(200, "raised");
