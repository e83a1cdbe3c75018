// An auth script that blows its budget until quarantined.
// Must: 5 x 500 + 50000002, then 503 + 50300001: a quarantined auth phase fails closed, the backend never sees a request.
while (true) { }
