// Closes the method body with a brace and declares a member of the generated class (uninstrumented code).
// Must: refused: a script is a statement body.
return Next;
}
public override string ToString() { while (true) { } }
protected void Open() {
