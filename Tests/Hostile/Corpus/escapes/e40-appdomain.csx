// AppDomain.CurrentDomain: assemblies, unhandled-exception hooks, process data.
// Must: refused at compile time (400 naming the API or the rule).
AppDomain.CurrentDomain.SetData("hostile", 1);
return Exit(200, AppDomain.CurrentDomain.GetAssemblies().Length.ToString());
