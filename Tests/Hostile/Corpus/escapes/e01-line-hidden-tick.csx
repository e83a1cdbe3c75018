// #line hidden hides a field named __Tick from the reserved-name check, then spins (issue 11, point 1).
// Must: refused: user #line directives are refused, or __Tick is found whatever the line visibility.
#line hidden
Func<int, int> __Tick = Math.Abs;
#line default
while (true) { }
