// Sets CultureInfo.DefaultThreadCurrentCulture to a culture whose NegativeSign is "~": every host's (-1.5).ToString() changes (issue 11, point 5).
// Must: refused: a process-wide setter is outside the allow list (and the control host's formatting is unchanged).
var c = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
c.NumberFormat.NegativeSign = "~";
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = c;
return Exit(200, (-1.5).ToString());
