// A verbatim identifier @__Tick shadows the budget hook inside the script.
// Must: refused: the reserved-name check sees the identifier's value, not its spelling.
Action<int> @__Tick = _ => { };
while (true) { }
