// A unicode-escaped identifier (\u005F_Tick is __Tick) shadows the budget hook.
// Must: refused: the reserved-name check sees the identifier's value.
Action<int> \u005F_Tick = _ => { };
while (true) { }
