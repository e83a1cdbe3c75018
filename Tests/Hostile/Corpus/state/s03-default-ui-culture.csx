// Sets CultureInfo.DefaultThreadCurrentUICulture for the whole process.
// Must: refused: a process-wide setter is outside the allow list (and the control host's formatting is unchanged).
System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = new System.Globalization.CultureInfo("fr-FR");
return Exit(200, "set");
