// Encoding.RegisterProvider: changes what Encoding.GetEncoding returns for the whole process.
// Must: refused (a process-wide setter is outside the allow list), or run with no effect: the control host's formatting is unchanged.
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
return Exit(200, "registered");
