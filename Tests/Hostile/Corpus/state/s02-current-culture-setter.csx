// Sets CultureInfo.CurrentCulture on the thread it runs on (a pool thread other requests reuse).
// Must: refused, or run with no effect beyond its own request: the control host's formatting is unchanged.
var c = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
c.NumberFormat.NegativeSign = "~";
System.Globalization.CultureInfo.CurrentCulture = c;
return Exit(200, (-1.5).ToString());
