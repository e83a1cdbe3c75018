// Closes the method body and adds a static constructor that runs at load time, outside any budget.
// Must: refused: a script is a statement body.
return Next;
}
static __Script() { while (true) { } }
void Open() {
