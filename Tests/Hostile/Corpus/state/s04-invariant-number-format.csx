// Tries to mutate the shared NumberFormat of the current culture in place.
// Must: refused (a process-wide setter is outside the allow list), or run with no effect: the control host's formatting is unchanged.
System.Globalization.CultureInfo.CurrentCulture.NumberFormat.NegativeSign = "~";
return Exit(200, (-1.5).ToString());
