// Tries to mutate the shared NumberFormat of the current culture in place.
// Must: refused, or run with no effect beyond its own request: the control host's formatting is unchanged.
System.Globalization.CultureInfo.CurrentCulture.NumberFormat.NegativeSign = "~";
return Exit(200, (-1.5).ToString());
