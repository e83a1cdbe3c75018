// Delegate.Method: a MethodInfo from a lambda, the door to the reflection API.
// Must: refused at compile time (400 naming the API or the rule).
Func<int> f = () => 1;
var m = f.Method;
return Exit(200, m.Name);
