// Encoding.RegisterProvider: changes what Encoding.GetEncoding returns for the whole process (a script can only pass null here, the call must be refused anyway).
// Must: refused: a process-wide setter is outside the allow list (and the control host's formatting is unchanged).
Encoding.RegisterProvider(null!);
return Exit(200, "registered");
