// TimeZoneInfo.ClearCachedData: process-wide cache flush (and Local changes for everyone).
// Must: refused: a process-wide setter is outside the allow list (and the control host's formatting is unchanged).
TimeZoneInfo.ClearCachedData();
return Exit(200, "cleared");
