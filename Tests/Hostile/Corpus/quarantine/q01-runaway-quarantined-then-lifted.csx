// A runaway hit 6 times: after 5 budget overruns in the window the version is quarantined; the admin call lifts it.
// Must: 5 x 500 + 50000002, then 503 + 50300001, visible in GET /script/<host>/rewrite and /metrics; DELETE .../quarantine answers 200 and the script runs again (500 + 50000002).
while (true) { }
