// Closes the method and the class and declares a class of its own with a module initializer.
// Must: refused: a script is a statement body.
return Next;
}
}
class Evil { [System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { while (true) { } } }
class Reopen {
void Open() {
